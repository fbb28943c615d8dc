import { expect } from 'chai';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { request as httpRequest, IncomingMessage, ServerResponse, type Server } from 'node:http';
import { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  createError,
  createHealth,
  createOpenApiDocument,
  createServiceApp,
  docsRoutes,
  loadConfig,
} from '../../src/index.js';
import { docsDocumentHeaders, docsHelmetPolicy } from '../../src/docs/docs-routes.js';
import { headerStore, headerStoreFor, validatedHeaders } from '../../src/http/header-store.js';
import { recordHeaders } from '../../src/http/prepared-headers.js';
import { apiHelmetOptions } from '../../src/http/security-headers.js';
import { captureLogger, CLERK_TEST_ENV, testLifecycle } from '../helpers.js';

type Pair = readonly [name: string, value: string];
// Node has had it since 15.13; the type package the workspace pins does not list it.
const rawNames = (res: ServerResponse): string[] =>
  (res as ServerResponse & { getRawHeaderNames(): string[] }).getRawHeaderNames();

// What helmet itself sets on a real Node response, run directly (the pipeline runs it once and
// writes what it set): Permissions-Policy first, then helmet's headers in helmet's order.
function helmetDirect(...middleware: RequestHandler[]): Pair[] {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  for (const handler of middleware) {
    let called = false;
    void handler({} as never, res as never, () => (called = true));
    expect(called, 'helmet called next at once').to.equal(true);
  }
  return res
    .getHeaderNames()
    .map((name) => [rawNames(res).find((raw) => raw.toLowerCase() === name)!, String(res.getHeader(name))] as const);
}

const permissionsPolicy: RequestHandler = (_req, res, next) => {
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  next();
};

function apiHeaders(hsts: boolean): Pair[] {
  return helmetDirect(permissionsPolicy, helmet(apiHelmetOptions({ hsts })));
}

// The docs pages: the API's headers with the docs CSP in the API CSP's place, then the document headers.
function docsHeaders(page: boolean): Pair[] {
  return helmetDirect(
    permissionsPolicy,
    helmet(apiHelmetOptions({ hsts: false })),
    docsHelmetPolicy(),
    ...(page ? docsDocumentHeaders() : []),
  );
}

interface Answer {
  readonly status: number;
  readonly raw: string[];
}

function call(
  server: Server,
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: options.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, raw: res.rawHeaders }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

// Each expected header is sent once, with its name and value byte for byte, in helmet's order.
function expectHeaders(answer: Answer, expected: readonly Pair[], what: string): void {
  const sent: Pair[] = [];
  for (let i = 0; i < answer.raw.length; i += 2) sent.push([answer.raw[i]!, answer.raw[i + 1]!]);
  const positions = expected.map(([name, value]) => {
    const matches = sent.filter(([sentName]) => sentName.toLowerCase() === name.toLowerCase());
    expect(matches, `${what}: ${name} sent once`).to.have.length(1);
    expect(matches[0], `${what}: ${name}`).to.deep.equal([name, value]);
    return sent.indexOf(matches[0]!);
  });
  expect(positions, `${what}: in helmet's order`).to.deep.equal([...positions].sort((a, b) => a - b));
  expect(
    sent.some(([name]) => name.toLowerCase() === 'x-powered-by'),
    `${what}: no X-Powered-By`,
  ).to.equal(false);
}

function serve(environment: 'staging' | 'production'): Promise<Server> {
  const router = express.Router();
  router.get('/api/v1/ok', (_req, res) => {
    res.json({ ok: true });
  });
  router.post('/api/v1/things', (req, res) => {
    res.status(201).json(req.body);
  });
  router.delete('/api/v1/things/:id', (_req, res) => {
    res.status(204).end();
  });
  router.get('/api/v1/cached', (_req, res) => {
    res.status(304).end();
  });
  router.get('/api/v1/private', () => {
    throw createError('AUTH_MISSING_TOKEN');
  });
  router.get('/api/v1/invalid', () => {
    throw createError('VALIDATION_FAILED', {
      details: [{ field: 'title', message: 'title is required', type: 'missing' }],
    });
  });
  router.get('/api/v1/boom', () => {
    throw new Error('boom');
  });
  router.get('/api/v1/unavailable', () => {
    throw createError('SERVICE_UNAVAILABLE');
  });
  const env = {
    ENVIRONMENT: environment,
    CORS_ORIGINS: 'https://app.example.com',
    BODY_LIMIT: '1kb',
    ...CLERK_TEST_ENV,
  };
  const config = loadConfig({ env, envFile: false });
  const document = createOpenApiDocument({ title: 'headers', version: '1.0.0', routeGroups: [] });
  const app = createServiceApp({
    config,
    logger: captureLogger().logger,
    routes: router,
    lifecycle: testLifecycle({ health: createHealth({ ready: false }) }),
    operational: [docsRoutes({ document, enabled: true })],
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('security headers, prepared once from helmet', () => {
  const answers: [
    what: string,
    method: string,
    path: string,
    status: number,
    options?: { body?: string; headers?: Record<string, string> },
  ][] = [
    ['200', 'GET', '/api/v1/ok', 200],
    ['201', 'POST', '/api/v1/things', 201, { body: '{"a":1}', headers: { 'content-type': 'application/json' } }],
    ['204', 'DELETE', '/api/v1/things/1', 204],
    ['304', 'GET', '/api/v1/cached', 304],
    ['400', 'POST', '/api/v1/things', 400, { body: '{bad', headers: { 'content-type': 'application/json' } }],
    ['401', 'GET', '/api/v1/private', 401],
    ['404', 'GET', '/nowhere', 404],
    ['405', 'PUT', '/api/v1/ok', 405],
    [
      '413',
      'POST',
      '/api/v1/things',
      413,
      { body: JSON.stringify({ a: 'x'.repeat(2000) }), headers: { 'content-type': 'application/json' } },
    ],
    ['422', 'GET', '/api/v1/invalid', 422],
    ['500', 'GET', '/api/v1/boom', 500],
    ['503', 'GET', '/api/v1/unavailable', 503],
    ['503 from /readyz', 'GET', '/readyz', 503],
    [
      'preflight',
      'OPTIONS',
      '/api/v1/ok',
      204,
      { headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } },
    ],
  ];

  for (const environment of ['staging', 'production'] as const) {
    describe(`in ${environment}`, () => {
      let server: Server;
      before(async () => {
        server = await serve(environment);
      });
      after(() => server.close());

      for (const [what, method, path, status, options] of answers) {
        it(`sends exactly helmet's headers on a ${what} answer`, async () => {
          const answer = await call(server, method, path, options);
          expect(answer.status).to.equal(status);
          expectHeaders(answer, apiHeaders(environment === 'production'), `${method} ${path}`);
        });
      }

      if (environment === 'staging') {
        it("sends helmet's docs headers on the docs page, its script and the document", async () => {
          expectHeaders(await call(server, 'GET', '/docs'), docsHeaders(true), '/docs');
          expectHeaders(await call(server, 'GET', '/docs/init.js'), docsHeaders(false), '/docs/init.js');
          expectHeaders(await call(server, 'GET', '/openapi.json'), apiHeaders(false), '/openapi.json');
        });
      }
    });
  }

  it("writes straight into Node's header store on this Node (else every header would cost a setHeader call)", () => {
    expect(headerStore().direct, process.version).to.equal(true);
  });

  it('refuses middleware whose headers depend on the request or that remove headers', () => {
    const readsRequest: RequestHandler = (req, res, next) => {
      res.setHeader('X-Host', String(req.headers.host));
      next();
    };
    expect(() => recordHeaders(readsRequest)).to.throw(TypeError, /read req\.headers/);
    expect(() => recordHeaders(helmet({ xPoweredBy: true }))).to.throw(TypeError, /removed X-Powered-By/);
    expect(() => recordHeaders((_req, _res, next) => next(new Error('nope')))).to.throw(TypeError, /failed/);
    expect(() => recordHeaders(() => undefined)).to.throw(TypeError, /did not call next/);
  });

  it("checks prepared names and values with Node's own rules when they are prepared", () => {
    const badValue: RequestHandler = (_req, res, next) => {
      res.setHeader('X-Bad', 'line\nbreak');
      next();
    };
    expect(() => recordHeaders(badValue)).to.throw(/Invalid character in header content/);
  });
});

describe('headerStore', () => {
  const fresh = (): ServerResponse => new ServerResponse(new IncomingMessage(new Socket()));
  const symbol = Object.getOwnPropertySymbols(fresh()).find((s) => s.description === 'kOutHeaders');
  const pairs = validatedHeaders([
    ['X-Frame-Options', 'DENY'],
    ['Vary', 'Origin'],
  ]);

  for (const [what, store] of [
    ["Node's own store", headerStoreFor(symbol)],
    ['setHeader (on a Node that keeps headers elsewhere)', headerStoreFor(undefined)],
  ] as const) {
    it(`leaves a response as setHeader would: ${what}`, () => {
      const written = fresh();
      written.setHeader('X-Request-ID', 'before');
      written.setHeader('x-frame-options', 'SAMEORIGIN');
      store.set(written, pairs);
      store.put(written, 'x-request-id', 'X-Request-ID', 'replaced');
      const expected = fresh();
      expected.setHeader('X-Request-ID', 'before');
      expected.setHeader('x-frame-options', 'SAMEORIGIN');
      for (const { name, value } of pairs) expected.setHeader(name, value);
      expected.setHeader('X-Request-ID', 'replaced');
      expect(written.getHeaders()).to.deep.equal(expected.getHeaders());
      expect(rawNames(written)).to.deep.equal(rawNames(expected));
      // Node changes a stored header in place when one is appended: no response shares it with another.
      written.appendHeader('Vary', 'Accept');
      const next = fresh();
      store.set(next, pairs);
      expect(written.getHeader('vary')).to.deep.equal(['Origin', 'Accept']);
      expect(next.getHeader('vary')).to.equal('Origin');
    });
  }

  it("refuses a name or value Node's own rules refuse, when the headers are prepared", () => {
    expect(() => validatedHeaders([['Bad Name', 'x']])).to.throw(/must be a valid HTTP token/);
    expect(() => validatedHeaders([['X-Ok', 'a\r\nb']])).to.throw(/Invalid character/);
  });
});
