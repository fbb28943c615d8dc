import { expect } from 'chai';
import express, { type Express } from 'express';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createError, createLogger, createServiceApp, loadConfig, type LoggerOptions } from '../../src/index.js';
import { runWithRequestContext, traceFromHeader, tryGetRequestContext } from '../../src/public/context.js';
import { captureLogger, CLERK_TEST_ENV, type CapturedLogger } from '../helpers.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function build(
  env: Record<string, string> = {},
  logOptions: Partial<LoggerOptions> = {},
): { app: Express; log: CapturedLogger } {
  const log = captureLogger(logOptions);
  const router = express.Router();
  router.get('/api/v1/things', (_req, res) => {
    res.json({ data: [], request_id: tryGetRequestContext()?.requestId });
  });
  router.post('/api/v1/things', (req, res) => {
    // Proves the request scope survives body parsing.
    res.status(201).json({ body: req.body as unknown, request_id: tryGetRequestContext()?.requestId });
  });
  router.delete('/api/v1/things/:id', (_req, res) => {
    res.status(204).end();
  });
  router.get('/api/v1/boom', () => {
    throw new Error('database password is hunter2');
  });
  router.get('/api/v1/async-boom', async () => {
    await Promise.resolve();
    throw new TypeError('async failure with secret detail');
  });
  router.get('/api/v1/late-boom', (_req, res, next) => {
    // Fails after its response is out and closed (work left running after the answer).
    res.once('close', () => setImmediate(() => next(new Error('late failure'))));
    res.json({ ok: true });
  });
  router.get('/api/v1/conflict', () => {
    throw createError('CONFLICT', { message: 'Already exists' });
  });
  router.get('/api/v1/whoami', (_req, res) => {
    const context = tryGetRequestContext();
    if (context !== undefined) context.userId = 'user_42';
    res.json({ ok: true });
  });
  router.get('/api/v1/files/:name', (req, res, next) => {
    // Serves only known files; anything else falls through to the 404.
    if (req.params.name === 'known.txt') res.json({ name: 'known.txt' });
    else next();
  });
  router.get('/api/v1/teapot', () => {
    throw Object.assign(new Error('short and stout'), { status: 418 });
  });
  const config = loadConfig({
    env: { CORS_ORIGINS: 'https://app.example.com', BODY_LIMIT: '1kb', ...env },
    envFile: false,
  });
  return { app: createServiceApp({ config, logger: log.logger, routes: router }), log };
}

function expectErrorShape(res: request.Response, status: number, error: string, code: string): void {
  expect(res.status).to.equal(status);
  expect(res.headers['content-type']).to.equal('application/json; charset=utf-8');
  expect(res.body).to.include({ error, code });
  expect(res.body.message).to.be.a('string').and.not.equal('');
  expect(res.body.request_id).to.equal(res.headers['x-request-id']);
  expect(Object.keys(res.body as object).sort()).to.deep.equal(['code', 'error', 'message', 'request_id']);
}

describe('request pipeline', () => {
  describe('X-Request-ID', () => {
    it('is a fresh UUID v4 on every kind of response', async () => {
      const { app } = build();
      const responses = [
        await request(app).get('/api/v1/things'),
        await request(app).get('/healthz'),
        await request(app).get('/nope'),
        await request(app).put('/api/v1/things'),
        await request(app).get('/api/v1/boom'),
        await request(app).post('/api/v1/things').set('Content-Type', 'application/json').send('{bad'),
        await request(app).post('/api/v1/things').set('Content-Type', 'text/plain').send('hello'),
        await request(app)
          .post('/api/v1/things')
          .send({ big: 'x'.repeat(2000) }),
        await request(app)
          .options('/api/v1/things')
          .set('Origin', 'https://app.example.com')
          .set('Access-Control-Request-Method', 'POST'),
        await request(app).delete('/api/v1/things/1'),
      ];
      const ids = responses.map((r) => r.headers['x-request-id'] as string);
      for (const [i, id] of ids.entries()) expect(id, `response ${i} (${responses[i]!.status})`).to.match(UUID_V4);
      expect(new Set(ids).size).to.equal(ids.length);
    });

    it('ignores an incoming X-Request-ID', async () => {
      const { app } = build();
      const res = await request(app).get('/api/v1/things').set('X-Request-ID', 'client-chosen').expect(200);
      expect(res.headers['x-request-id']).to.match(UUID_V4);
      expect(res.body.request_id).to.equal(res.headers['x-request-id']);
    });

    it('keeps the request scope through body parsing', async () => {
      const { app } = build();
      const res = await request(app).post('/api/v1/things').send({ a: 1 }).expect(201);
      expect(res.body).to.deep.equal({ body: { a: 1 }, request_id: res.headers['x-request-id'] });
    });
  });

  describe('X-Correlation-ID', () => {
    it('is accepted when it matches the strict pattern, and logged with every line', async () => {
      const { app, log } = build();
      const res = await request(app).get('/api/v1/things').set('X-Correlation-ID', 'trace-123.A_b').expect(200);
      expect(res.headers['x-correlation-id']).to.equal('trace-123.A_b');
      expect(log.entries().find((e) => e.event === 'request_completed')).to.include({
        correlation_id: 'trace-123.A_b',
      });
    });

    it('is replaced by the request id when too long, empty or with other characters', async () => {
      const { app } = build();
      for (const value of ['x'.repeat(129), 'has space', 'semi;colon', 'ünïcode', '']) {
        const res = await request(app).get('/api/v1/things').set('X-Correlation-ID', value).expect(200);
        expect(res.headers['x-correlation-id'], JSON.stringify(value)).to.equal(res.headers['x-request-id']);
      }
      const exact = await request(app).get('/api/v1/things').set('X-Correlation-ID', 'x'.repeat(128)).expect(200);
      expect(exact.headers['x-correlation-id']).to.equal('x'.repeat(128));
    });
  });

  describe('security headers', () => {
    const expected = {
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'x-xss-protection': '0',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'permissions-policy': 'camera=(), microphone=(), geolocation=()',
      'content-security-policy': "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'",
    };

    it('are on successes, errors and preflights, with no HSTS outside production', async () => {
      const { app } = build();
      for (const res of [
        await request(app).get('/api/v1/things'),
        await request(app).get('/api/v1/boom'),
        await request(app).get('/missing'),
        await request(app)
          .options('/api/v1/things')
          .set('Origin', 'https://app.example.com')
          .set('Access-Control-Request-Method', 'GET'),
      ]) {
        expect(res.headers, String(res.status)).to.include(expected);
        expect(res.headers).to.include({
          'cross-origin-resource-policy': 'same-origin',
          'x-permitted-cross-domain-policies': 'none',
        });
        // helmet's headers for HTML documents do nothing for a JSON answer.
        for (const name of [
          'cross-origin-opener-policy',
          'origin-agent-cluster',
          'x-dns-prefetch-control',
          'x-download-options',
        ])
          expect(res.headers).not.to.have.property(name);
        expect(res.headers).not.to.have.property('strict-transport-security');
        expect(res.headers).not.to.have.property('x-powered-by');
      }
    });

    it('add HSTS in production', async () => {
      const { app } = build({ ENVIRONMENT: 'production', ...CLERK_TEST_ENV });
      const res = await request(app).get('/api/v1/things').expect(200);
      expect(res.headers['strict-transport-security']).to.equal('max-age=31536000; includeSubDomains');
    });
  });

  describe('CORS', () => {
    it('answers preflights for allowed origins and exposes the id headers', async () => {
      const { app } = build();
      const res = await request(app)
        .options('/api/v1/things')
        .set('Origin', 'https://app.example.com')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(res.status).to.equal(204);
      expect(res.headers['access-control-allow-origin']).to.equal('https://app.example.com');
      expect(res.headers['access-control-allow-credentials']).to.equal('true');
      expect(res.headers['access-control-allow-headers']).to.match(/Authorization/);
      const simple = await request(app).get('/api/v1/things').set('Origin', 'https://app.example.com').expect(200);
      expect(simple.headers['access-control-expose-headers']).to.equal(
        'X-Request-ID,X-Correlation-ID,ETag,Idempotent-Replayed,Retry-After,Location',
      );
      for (const header of ['Idempotency-Key', 'If-Match', 'If-None-Match'])
        expect(res.headers['access-control-allow-headers']).to.contain(header);
    });

    it('gives other origins no CORS headers', async () => {
      const { app } = build();
      const res = await request(app).get('/api/v1/things').set('Origin', 'https://evil.example.com').expect(200);
      expect(res.headers).not.to.have.property('access-control-allow-origin');
    });

    it('answers requests without Origin (calls between services) with Vary: Origin and no CORS headers', async () => {
      const { app } = build();
      for (const res of [
        await request(app).get('/api/v1/things').expect(200),
        await request(app).get('/missing').expect(404),
      ]) {
        expect(res.headers.vary).to.equal('Origin');
        expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).to.deep.equal([]);
      }
      const star = build({ CORS_ORIGINS: '*' });
      const res = await request(star.app).get('/api/v1/things').expect(200);
      expect(res.headers.vary).to.equal('Origin');
      expect(res.headers).not.to.have.property('access-control-allow-origin');
      const browser = await request(star.app)
        .get('/api/v1/things')
        .set('Origin', 'https://any.example.com')
        .expect(200);
      expect(browser.headers['access-control-allow-origin']).to.equal('https://any.example.com');
    });

    it('is off when no origin is configured', async () => {
      const { app } = build({ CORS_ORIGINS: '' });
      const res = await request(app).get('/api/v1/things').set('Origin', 'https://app.example.com').expect(200);
      expect(res.headers).not.to.have.property('access-control-allow-origin');
    });
  });

  describe('the error shape', () => {
    it('unknown route: 404 ROUTE_NOT_FOUND', async () => {
      expectErrorShape(await request(app()).get('/api/v1/nothing-here'), 404, 'NOT_FOUND', 'ROUTE_NOT_FOUND');
    });

    it('wrong method: 405 METHOD_NOT_ALLOWED with Allow, also through mounted routers', async () => {
      const res = await request(app()).patch('/api/v1/things');
      expectErrorShape(res, 405, 'METHOD_NOT_ALLOWED', 'METHOD_NOT_ALLOWED');
      expect(res.headers.allow).to.equal('GET, HEAD, POST');
      const nested = await request(app()).get('/api/v1/things/123');
      expect(nested.headers.allow).to.equal('DELETE');
    });

    it('a route of this method that passes the request on: 404, not 405', async () => {
      expectErrorShape(await request(app()).get('/api/v1/files/unknown.txt'), 404, 'NOT_FOUND', 'ROUTE_NOT_FOUND');
      expectErrorShape(
        await request(app()).post('/api/v1/files/unknown.txt').send({}),
        405,
        'METHOD_NOT_ALLOWED',
        'METHOD_NOT_ALLOWED',
      );
    });

    it('malformed JSON: 400 INVALID_JSON', async () => {
      expectErrorShape(
        await request(app()).post('/api/v1/things').set('Content-Type', 'application/json').send('{"a":'),
        400,
        'BAD_REQUEST',
        'INVALID_JSON',
      );
    });

    it('invalid UTF-8 inside a JSON string: 400 INVALID_JSON, never stored with U+FFFD in its place', async () => {
      const broken = Buffer.concat([Buffer.from('{"title":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      // superagent would serialise a Buffer as JSON ({"type":"Buffer",...}): send the bytes as they are.
      const res = await request(app())
        .post('/api/v1/things')
        .set('Content-Type', 'application/json')
        .serialize(() => broken as unknown as string)
        .send({});
      expectErrorShape(res, 400, 'BAD_REQUEST', 'INVALID_JSON');
      // Valid multi-byte UTF-8 passes untouched.
      const fine = await request(app())
        .post('/api/v1/things')
        .set('Content-Type', 'application/json')
        .send('{"title":"héllo 😀"}')
        .expect(201);
      expect(fine.body.body).to.deep.equal({ title: 'héllo 😀' });
    });

    it('any JSON value passes the parser (null, a string, an array): its shape is for validation to judge', async () => {
      for (const [text, value] of [
        ['null', null],
        ['"x"', 'x'],
        ['[]', []],
      ] as const) {
        const res = await request(app())
          .post('/api/v1/things')
          .set('Content-Type', 'application/json')
          .send(text)
          .expect(201);
        expect(res.body.body, text).to.deep.equal(value);
      }
    });

    it('body over the limit: 413 PAYLOAD_TOO_LARGE', async () => {
      expectErrorShape(
        await request(app())
          .post('/api/v1/things')
          .send({ big: 'x'.repeat(2000) }),
        413,
        'PAYLOAD_TOO_LARGE',
        'PAYLOAD_TOO_LARGE',
      );
    });

    it('a body that is not JSON on POST: 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      expectErrorShape(
        await request(app()).post('/api/v1/things').set('Content-Type', 'text/plain').send('title=x'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expectErrorShape(
        await request(app())
          .post('/api/v1/things')
          .set('Content-Type', 'application/x-www-form-urlencoded')
          .send('title=x'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'UNSUPPORTED_MEDIA_TYPE',
      );
      // No Content-Type at all, on every method that takes a body; JSON types with a suffix pass.
      for (const method of ['post', 'put', 'patch'] as const) {
        const agent = request(app());
        const res = await agent[method]('/api/v1/things').unset('Content-Type').send(Buffer.from('{"title":"x"}'));
        expectErrorShape(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_MEDIA_TYPE');
      }
      await request(app())
        .post('/api/v1/things')
        .set('Content-Type', 'application/merge-patch+json')
        .send('{"title":"x"}')
        .expect(201);
    });

    it('a JSON body in another charset: 415', async () => {
      expectErrorShape(
        await request(app()).post('/api/v1/things').set('Content-Type', 'application/json; charset=latin1').send('{}'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'UNSUPPORTED_MEDIA_TYPE',
      );
    });

    it('a thrown ServiceError keeps its status, code and message', async () => {
      const res = await request(app()).get('/api/v1/conflict');
      expectErrorShape(res, 409, 'CONFLICT', 'CONFLICT');
      expect(res.body.message).to.equal('Already exists');
    });

    it('an error with another 4xx status keeps it, with a category from its reason phrase', async () => {
      expectErrorShape(await request(app()).get('/api/v1/teapot'), 418, 'IM_A_TEAPOT', 'IM_A_TEAPOT');
    });

    it('bad percent-encoding in the path is a 400, not a 500', async () => {
      expectErrorShape(await request(app()).delete('/api/v1/things/%E0%A4%A'), 400, 'BAD_REQUEST', 'BAD_REQUEST');
    });

    for (const path of ['/api/v1/boom', '/api/v1/async-boom']) {
      it(`unhandled errors (${path}): 500 with nothing leaked and one log line with the stack`, async () => {
        const { app, log } = build();
        const res = await request(app).get(path);
        expectErrorShape(res, 500, 'INTERNAL_ERROR', 'INTERNAL_ERROR');
        expect(res.body.message).to.equal('An unexpected error occurred.');
        expect(res.text).not.to.match(/hunter2|secret detail|at |Error/);
        const errors = log.entries().filter((e) => e.event === 'unhandled_error');
        expect(errors).to.have.length(1);
        expect(errors[0]).to.include({ level: 'error', request_id: res.headers['x-request-id'] });
        expect((errors[0]!.error as { stack: string }).stack).to.contain('pipeline.test.ts');
      });
    }
  });

  it("a handler failing after its response closed: the error line carries that request's id", async () => {
    const { app, log } = build();
    const res = await request(app).get('/api/v1/late-boom').expect(200);
    const deadline = Date.now() + 5000;
    while (!log.entries().some((e) => e.event === 'unhandled_error') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const errors = log.entries().filter((e) => e.event === 'unhandled_error');
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include({ level: 'error', request_id: res.headers['x-request-id'] });
  });

  describe('access log', () => {
    it('writes one request_completed line per request with method, path without query, status and duration', async () => {
      const { app, log } = build();
      const res = await request(app).get('/api/v1/things?secret_param=abc&limit=5').expect(200);
      const lines = log.entries().filter((e) => e.event === 'request_completed');
      expect(lines).to.have.length(1);
      expect(lines[0]).to.include({
        level: 'info',
        method: 'GET',
        path: '/api/v1/things',
        status_code: 200,
        request_id: res.headers['x-request-id'],
      });
      expect(lines[0]!.duration_ms).to.be.a('number').at.least(0);
      expect(lines[0]).not.to.have.property('user_id');
      expect(log.text()).not.to.contain('secret_param');
    });

    it('logs warn for 4xx, error for 5xx, debug for probes', async () => {
      const { app, log } = build();
      await request(app).get('/missing');
      await request(app).get('/api/v1/boom');
      await request(app).get('/healthz');
      const levels = log
        .entries()
        .filter((e) => e.event === 'request_completed')
        .map((e) => [e.path, e.level]);
      expect(levels).to.deep.equal([
        ['/missing', 'warn'],
        ['/api/v1/boom', 'error'],
        ['/healthz', 'debug'],
      ]);
    });

    it('carries user_id once authentication set it', async () => {
      const { app, log } = build();
      await request(app).get('/api/v1/whoami').expect(200);
      expect(log.entries().find((e) => e.event === 'request_completed')).to.include({ user_id: 'user_42' });
    });

    it('never logs header values, cookies or bodies', async () => {
      const { app, log } = build();
      const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl';
      await request(app)
        .post('/api/v1/things')
        .set('Authorization', `Bearer ${token}`)
        .set('Cookie', '__session=cookie-value-123')
        .send({ password: 'pw-in-body' });
      await request(app).get('/api/v1/boom').set('Authorization', `Bearer ${token}`);
      const text = log.text();
      for (const secret of [token, 'Bearer', 'cookie-value-123', 'pw-in-body']) expect(text).not.to.contain(secret);
      expect(text.toLowerCase()).not.to.contain('authorization');
    });

    it('redacts a token that sits in the path', async () => {
      const { app, log } = build();
      const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl';
      await request(app).get(`/api/v1/files/${token}`).expect(404);
      expect(log.entries().find((e) => e.event === 'request_completed')).to.include({
        path: '/api/v1/files/[REDACTED]',
      });
      expect(log.text()).not.to.contain(token);
    });

    // A root JSON logger writes access lines itself, past winston; the line must be the one winston would write.
    it('writes the same line straight to the stream as through the logger', async () => {
      const { app, log } = build();
      await request(app).get('/api/v1/whoami?x=1').set('X-Correlation-ID', 'corr-"quoted"-no').expect(200);
      const fast = log.entries().find((e) => e.event === 'request_completed')!;
      const slow = captureLogger();
      // Written as the access log writes it: at the response's close, inside the request's scope.
      const scope = {
        requestId: String(fast.request_id),
        correlationId: String(fast.correlation_id),
        trace: traceFromHeader(`00-${String(fast.trace_id)}-${'1'.repeat(16)}-01`),
        method: 'GET',
        path: '/api/v1/whoami',
        userId: 'user_42',
      };
      runWithRequestContext(scope, () =>
        slow.logger.info('request_completed', {
          request_id: fast.request_id,
          correlation_id: fast.correlation_id,
          trace_id: fast.trace_id,
          method: 'GET',
          path: '/api/v1/whoami',
          status_code: 200,
          duration_ms: fast.duration_ms,
          user_id: 'user_42',
        }),
      );
      const [expected] = slow.entries();
      expect({ ...fast, timestamp: undefined }).to.deep.equal({ ...expected, timestamp: undefined });
      // Byte for byte, key order and number formatting included.
      const blank = (line: string): string => line.replace(/^\{"timestamp":"[^"]*"/, '');
      expect(blank(log.lines.find((line) => line.includes('"request_completed"'))!)).to.equal(blank(slow.lines[0]!));
    });

    for (const format of ['console', 'child logger'] as const) {
      it(`goes through the logger's own log method with a ${format}`, async () => {
        const lines: string[] = [];
        const stream = new Writable({
          write(chunk: Buffer, _encoding, callback) {
            lines.push(chunk.toString('utf8'));
            callback();
          },
        });
        const root = createLogger({
          service: 's',
          version: '1',
          environment: 'local',
          format: format === 'console' ? 'console' : 'json',
          colors: false,
          stream,
        });
        const logger = format === 'console' ? root : root.child({ component: 'edge' });
        const config = loadConfig({ env: {}, envFile: false });
        await request(createServiceApp({ config, logger, routes: express.Router() }))
          .get('/nowhere?q=1')
          .expect(404);
        const line = lines.find((l) => l.includes('request_completed'))!;
        if (format === 'console')
          expect(line).to.match(/WARN +request_completed .*method=GET path=\/nowhere status_code=404 duration_ms=/);
        else
          expect(JSON.parse(line)).to.include({ component: 'edge', path: '/nowhere', status_code: 404, level: 'warn' });
        expect(line).not.to.contain('user_id');
      });
    }
  });

  it('sends JSON as application/json; charset=utf-8 and no-store on /healthz', async () => {
    const res = await request(app()).get('/healthz').expect(200);
    expect(res.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(res.headers['cache-control']).to.equal('no-store');
  });
});

function app(): Express {
  return build().app;
}

describe('request context', () => {
  it("continues the caller's W3C trace in the request scope", async () => {
    const router = express.Router().get('/trace', (_req, res) => {
      res.json(tryGetRequestContext()?.trace);
    });
    const app = createServiceApp({
      config: loadConfig({ env: {}, envFile: false }),
      logger: captureLogger().logger,
      routes: router,
    });
    const res = await request(app)
      .get('/trace')
      .set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')
      .expect(200);
    expect(res.body).to.include({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentSpanId: 'b7ad6b7169203331',
      flags: '01',
    });
    const fresh = await request(app).get('/trace').expect(200);
    expect(fresh.body.traceId).to.match(/^[0-9a-f]{32}$/);
    expect(fresh.body).not.to.have.property('parentSpanId');
  });
});
