import { expect } from 'chai';
import express from 'express';
import fc from 'fast-check';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRouteGroup, createServiceApp, defineRoute, joi, loadConfig } from '../../src/index.js';
import { captureLogger } from '../helpers.js';

// Property-based fuzzing of the whole pipeline through a real server: whatever the method, path,
// query, headers and body, the answer is never a 5xx and every error is in the unified shape.
const thing = joi.object<{ title: string; tags?: string[] }, true>({
  title: joi.string().notBlank().maxChars(255).required(),
  tags: joi.array().items(joi.string().maxChars(20)).max(5),
});
const putThing = defineRoute({
  method: 'put',
  path: '/:id',
  operationId: 'putThing',
  summary: 'Put a thing',
  request: {
    params: joi.object<{ id: string }, true>({ id: joi.string().guid().required() }),
    query: joi.object<{ limit: number }, true>({ limit: joi.number().integer().min(1).max(100).default(20) }),
    body: thing,
  },
  responses: { 200: { description: 'The thing', schema: thing } },
  handler: ({ body }) => ({ status: 200, body }),
});

function app() {
  const router = express.Router();
  router.use('/api/v1/things', createRouteGroup({ basePath: '/api/v1/things', routes: [putThing] }).router);
  router.get('/api/v1/things', (_req, res) => {
    res.json({ data: [] });
  });
  return createServiceApp({
    config: loadConfig({ env: { BODY_LIMIT: '4kb' }, envFile: false }),
    logger: captureLogger().logger,
    routes: router,
  });
}

const jsonValue = fc.jsonValue({ maxDepth: 4 });
const headerName = fc.constantFrom(
  'x-correlation-id',
  'traceparent',
  'x-request-id',
  'origin',
  'accept',
  'content-type',
  'authorization',
  'cookie',
  'x-forwarded-for',
);
// Header values a client can actually send (visible ASCII and spaces).
const headerValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 200,
});
const pathSegment = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom('%', '%E0%A4%A', '..', '%00', '😀'),
);
const query = fc.dictionary(
  fc.constantFrom('limit', 'offset', 'x', 'limit[]', '__proto__', 'constructor'),
  fc.oneof(fc.string({ maxLength: 30 }), fc.integer().map(String)),
  { maxKeys: 4 },
);

describe('pipeline hardening (property-based)', function () {
  this.timeout(120_000);
  let server: Server;
  let base: string;

  before(async () => {
    server = app().listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => {
    server.close();
  });

  it('never answers 5xx, and every error is the unified shape with the request id', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'PUT', 'POST', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
        pathSegment,
        query,
        fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }),
        fc.oneof(
          jsonValue.map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 300 }),
          fc.constant(undefined),
        ),
        async (method, id, q, headers, body) => {
          const url = `${base}/api/v1/things/${id}?${new URLSearchParams(q).toString()}`;
          const init: RequestInit = { method, headers: Object.fromEntries(headers) };
          if (body !== undefined && method !== 'GET' && method !== 'HEAD') {
            init.body = body;
            (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
          }
          let res: Response;
          try {
            res = await fetch(url, init);
          } catch {
            return; // fetch itself refused the request (an invalid header for undici): nothing reached the server
          }
          const text = await res.text();
          expect(res.status, `${method} ${url} -> ${res.status} ${text}`).to.be.below(500);
          const requestId = res.headers.get('x-request-id');
          expect(requestId).to.match(/^[0-9a-f-]{36}$/);
          if (res.status >= 400 && method !== 'HEAD') {
            const parsed = JSON.parse(text) as Record<string, unknown>;
            expect(parsed).to.include.keys('error', 'message', 'code', 'request_id');
            expect(parsed.request_id).to.equal(requestId);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers deeply nested and oversized JSON with 4xx in the unified shape', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const nested = await fetch(`${base}/api/v1/things/${crypto.randomUUID()}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: `{"title":"x","deep":${deep.slice(0, 3000)}${deep.slice(-3000)}}`,
    });
    expect(nested.status).to.equal(413);
    const deepButSmall = await fetch(`${base}/api/v1/things/${crypto.randomUUID()}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: `{"title":"x","deep":${'['.repeat(1500)}${']'.repeat(1500)}}`,
    });
    expect(deepButSmall.status).to.equal(422);
    expect(((await deepButSmall.json()) as { details: { type: string }[] }).details[0]!.type).to.equal('unknown_field');
  });
});
