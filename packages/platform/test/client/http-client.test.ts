import { expect } from 'chai';
import { createServer, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../src/index.js';
import { createCircuitBreakerRegistry } from '../../src/public/client.js';
import { runWithRequestContext } from '../../src/public/context.js';
import { captureLogger, type CapturedLogger } from '../helpers.js';
import { callerContext, CHILD_TRACEPARENT } from './caller-context.js';
import { rejection, rejectionOf, startSilentListener, startUpstream, type Upstream } from './upstream.js';

const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 4 };

describe('createHttpClient', () => {
  let upstream: Upstream;
  let log: CapturedLogger;
  const clients: HttpClient[] = [];

  function client(options: Partial<HttpClientOptions> = {}): HttpClient {
    const made = createHttpClient({
      baseUrl: upstream.url,
      logger: log.logger,
      retry: FAST_RETRY,
      breakers: createCircuitBreakerRegistry(),
      ...options,
    });
    clients.push(made);
    return made;
  }

  beforeEach(async () => {
    upstream = await startUpstream();
    log = captureLogger();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await upstream.close();
  });

  it('returns the parsed JSON body with status, headers and attempts', async () => {
    upstream.script({ status: 201, body: { id: 'inv_1' }, headers: { 'x-upstream': 'yes' } });
    const res = await client({ baseUrl: `${upstream.url}/api/` }).post<{ id: string }>('/invoices', {
      json: { amount: 5 },
      query: { dry: true, skip: undefined },
    });
    expect(res.status).to.equal(201);
    expect(res.body).to.deep.equal({ id: 'inv_1' });
    expect(res.headers['x-upstream']).to.equal('yes');
    expect(res.attempts).to.equal(1);
    expect(upstream.requests[0]).to.include({ method: 'POST', url: '/api/invoices?dry=true', body: '{"amount":5}' });
    expect(upstream.requests[0]!.headers['content-type']).to.match(/^application\/json/);
  });

  it('returns text bodies as strings and empty bodies as undefined', async () => {
    upstream.script({ status: 200, body: 'plain' }, { status: 204 });
    expect((await client().get('/a')).body).to.equal('plain');
    expect((await client().delete('/a')).body).to.equal(undefined);
  });

  it('retries a GET after three 502s and succeeds on the fourth attempt', async () => {
    upstream.script({ status: 502 }, { status: 502 }, { status: 502 }, { status: 200, body: { ok: 1 } });
    const res = await client().get('/x');
    expect(res).to.include({ status: 200, attempts: 4 });
    expect(upstream.requests).to.have.length(4);
  });

  it('fails with 502 UPSTREAM_ERROR after the retries, keeping the status and never the body', async () => {
    upstream.otherwise({ status: 503, body: { secret_detail: 'db password is hunter2' } });
    const error = await rejection(client().put('/x', { json: {} }));
    expect(error).to.include({
      name: 'UpstreamError',
      code: 'UPSTREAM_ERROR',
      status: 502,
      upstreamStatus: 503,
      attempts: 4,
      method: 'PUT',
      path: '/x',
    });
    expect(error.message).to.equal('An upstream service failed.');
    expect(JSON.stringify(error) + error.message + String((error.cause as Error).message)).not.to.contain('hunter2');
    expect(upstream.requests).to.have.length(4);
  });

  it('does not retry a 500 and reports it as UPSTREAM_ERROR', async () => {
    upstream.otherwise({ status: 500 });
    const error = await rejection(client().get('/x'));
    expect(error).to.include({ code: 'UPSTREAM_ERROR', upstreamStatus: 500, attempts: 1 });
  });

  it('waits what Retry-After says rather than the backoff', async () => {
    // A 60 s backoff would time the test out; Retry-After: 0 replaces it.
    upstream.script({ status: 503, headers: { 'retry-after': '0' } }, { status: 200 });
    const res = await client({ retry: { baseDelayMs: 60_000, jitter: 'none' } }).get('/x');
    expect(res.attempts).to.equal(2);
  });

  it('gives up at once when Retry-After is longer than maxRetryAfterMs', async () => {
    upstream.otherwise({ status: 503, headers: { 'retry-after': '120' } });
    const error = await rejection(client().get('/x'));
    expect(error).to.include({ code: 'UPSTREAM_ERROR', upstreamStatus: 503, attempts: 1 });
    expect(upstream.requests).to.have.length(1);
  });

  it('fails with 504 UPSTREAM_TIMEOUT when the upstream hangs past the response timeout', async () => {
    upstream.otherwise('hang');
    const error = await rejection(client({ retry: false, timeouts: { response: 50 } }).get('/slow'));
    expect(error).to.include({ code: 'UPSTREAM_TIMEOUT', status: 504, attempts: 1 });
    expect((error.cause as { code?: string }).code).to.equal('ETIMEDOUT');
  });

  it('retries a GET that timed out, each attempt with its own timeout', async () => {
    upstream.script('hang');
    const res = await client().get('/slow', { timeouts: { response: 150 } });
    expect(res.attempts).to.equal(2);
  });

  it('ends the whole call at the deadline, across attempts and waits', async () => {
    upstream.otherwise('hang');
    const started = Date.now();
    const error = await rejection(client({ timeouts: { response: 5_000, deadline: 80 } }).get('/slow'));
    expect(error).to.include({ code: 'UPSTREAM_TIMEOUT', attempts: 1 });
    expect(Date.now() - started).to.be.below(2_000);
  });

  describe('connect limit', () => {
    let silent: Awaited<ReturnType<typeof startSilentListener>>;
    before(async () => {
      silent = await startSilentListener();
    });
    after(async () => {
      await silent.close();
    });

    it('fails with 504 UPSTREAM_TIMEOUT when a connection is not up within the connect limit', async () => {
      const started = Date.now();
      const error = await rejection(
        client({ baseUrl: silent.url, retry: false, timeouts: { connect: 100 } }).get('/x'),
      );
      expect(error).to.include({ code: 'UPSTREAM_TIMEOUT', status: 504, attempts: 1 });
      expect((error.cause as { code?: string }).code).to.equal('ETIMEDOUT');
      expect(Date.now() - started).to.be.within(90, 2_000);
    });

    it('holds a call to its own connect limit, shorter or longer than the client’s', async () => {
      const made = client({ baseUrl: silent.url, retry: false, timeouts: { connect: 5_000 } });
      let started = Date.now();
      const shorter = await rejection(made.get('/x', { timeouts: { connect: 100 } }));
      expect(shorter).to.include({ code: 'UPSTREAM_TIMEOUT', attempts: 1 });
      expect(Date.now() - started).to.be.within(90, 2_000);

      const quick = client({ baseUrl: silent.url, retry: false, timeouts: { connect: 50 } });
      started = Date.now();
      const longer = await rejection(quick.get('/x', { timeouts: { connect: 400 } }));
      expect(longer).to.include({ code: 'UPSTREAM_TIMEOUT', attempts: 1 });
      expect(Date.now() - started).to.be.within(380, 3_000);
    });

    it('counts the TLS handshake in the connect limit', async () => {
      // Accepts TCP connections and never says a word: the TLS handshake never completes.
      const mute = createServer((socket) => socket.on('error', () => undefined));
      await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = mute.address() as AddressInfo;
        const started = Date.now();
        const error = await rejection(
          client({ baseUrl: `https://127.0.0.1:${port}`, retry: false, timeouts: { connect: 100 } }).get('/x'),
        );
        expect(error).to.include({ code: 'UPSTREAM_TIMEOUT', attempts: 1 });
        expect(Date.now() - started).to.be.within(90, 2_000);
      } finally {
        mute.close();
      }
    });

    it('leaves a connection alone once it is up: later calls reuse it past the limit', async () => {
      const made = client({ timeouts: { connect: 100 } });
      await made.get('/first');
      await new Promise((resolve) => setTimeout(resolve, 250));
      const res = await made.get('/second');
      expect(res.status).to.equal(200);
      expect(upstream.requests).to.have.length(2);
      const [first, second] = upstream.requests.map((r) => r.remotePort);
      // One connection: both requests came from the same client port.
      expect(second).to.be.a('number').and.equal(first);
    });
  });

  it('retries a GET after a connection reset', async () => {
    upstream.script('reset', 'reset');
    const res = await client().get('/x');
    expect(res.attempts).to.equal(3);
  });

  it('fails with 502 UPSTREAM_ERROR keeping ECONNRESET as the cause when resets persist', async () => {
    upstream.otherwise('reset');
    const error = await rejection(client().get('/x'));
    expect(error).to.include({ code: 'UPSTREAM_ERROR', status: 502, attempts: 4, upstreamStatus: undefined });
    expect((error.cause as { code?: string }).code).to.equal('ECONNRESET');
  });

  it('fails with 502 UPSTREAM_ERROR when the connection is refused', async () => {
    const url = upstream.url;
    await upstream.close();
    const error = await rejection(client({ baseUrl: url }).get('/x'));
    expect(error).to.include({ code: 'UPSTREAM_ERROR', attempts: 4 });
    expect((error.cause as { code?: string }).code).to.equal('ECONNREFUSED');
    upstream = await startUpstream();
  });

  it('does not retry a POST', async () => {
    upstream.otherwise({ status: 502 });
    const error = await rejection(client().post('/orders', { json: { a: 1 } }));
    expect(error.attempts).to.equal(1);
    expect(upstream.requests).to.have.length(1);
  });

  it('retries a POST that opted in with retry: true or an idempotency key', async () => {
    upstream.script({ status: 502 }, { status: 200 }, { status: 504 }, 'reset', { status: 201 });
    expect((await client().post('/orders', { retry: true })).attempts).to.equal(2);
    const res = await client().patch('/orders', { idempotencyKey: 'order-42' });
    expect(res).to.include({ status: 201, attempts: 3 });
    expect(upstream.requests.slice(2).map((r) => r.headers['idempotency-key'])).to.deep.equal([
      'order-42',
      'order-42',
      'order-42',
    ]);
  });

  it('makes one key per call with idempotencyKey: true, sends it on every retry of that call, and logs it', async () => {
    upstream.script({ status: 503 }, 'reset', { status: 201 }, { status: 201 });
    const first = await client().post('/orders', { json: { sku: 'a' }, idempotencyKey: true });
    expect(first).to.include({ status: 201, attempts: 3 });
    const sent = upstream.requests.map((r) => r.headers['idempotency-key']);
    expect(sent[0]).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sent.slice(0, 3)).to.deep.equal([sent[0], sent[0], sent[0]]);
    await client().post('/orders', { json: { sku: 'a' }, idempotencyKey: true });
    expect(upstream.requests[3]!.headers['idempotency-key'], 'another call, another key')
      .to.be.a('string')
      .and.not.equal(sent[0]);
    const lines = log.entries().filter((e) => e.event === 'http_client_call');
    expect(lines.map((e) => e.idempotency_key)).to.deep.equal([
      sent[0],
      upstream.requests[3]!.headers['idempotency-key'],
    ]);
  });

  it('never retries a call that opted out', async () => {
    upstream.otherwise({ status: 502 });
    expect((await rejection(client().get('/x', { retry: false }))).attempts).to.equal(1);
  });

  it('returns 4xx answers to the caller without retrying', async () => {
    upstream.otherwise({ status: 404, body: { code: 'NOT_FOUND' } });
    const res = await client().get('/missing');
    expect(res).to.deep.include({ status: 404, body: { code: 'NOT_FOUND' }, attempts: 1 });
    expect(upstream.requests).to.have.length(1);
  });

  it('fails with UPSTREAM_ERROR when a JSON body does not parse, without quoting it', async () => {
    upstream.otherwise({ status: 200, body: '{"token":"abc', headers: { 'content-type': 'application/json' } });
    const error = await rejection(client().get('/x'));
    expect(error).to.include({ code: 'UPSTREAM_ERROR', attempts: 1 });
    expect(String((error.cause as Error).message)).not.to.contain('abc');
  });

  it('fails with UPSTREAM_ERROR when the body is larger than maxResponseBytes', async () => {
    upstream.otherwise({ status: 200, body: 'x'.repeat(64 * 1024) });
    const error = await rejection(client({ maxResponseBytes: 1024 }).get('/big'));
    expect(error).to.include({ code: 'UPSTREAM_ERROR', attempts: 1 });
    expect((error.cause as { code?: string }).code).to.equal('ERESPONSETOOLARGE');
    expect((await client({ maxResponseBytes: 64 * 1024 }).get('/big')).body).to.have.length(64 * 1024);
  });

  it('counts a body cut short as a failed attempt: retried, then 502 UPSTREAM_ERROR', async () => {
    upstream.script('truncate', { status: 200, body: { ok: 1 } });
    const res = await client().get('/x');
    expect(res).to.deep.include({ status: 200, body: { ok: 1 }, attempts: 2 });
    upstream.otherwise('truncate');
    const error = await rejection(client().get('/x'));
    expect(error).to.include({ code: 'UPSTREAM_ERROR', status: 502, attempts: 4, upstreamStatus: undefined });
    expect((error.cause as { code?: string }).code).to.equal('ECONNRESET');
    const lines = log.entries().filter((e) => e.event === 'http_client_call');
    expect(lines.at(-1)).to.include({ level: 'warn', error_code: 'UPSTREAM_ERROR', cause_code: 'ECONNRESET' });
  });

  it('decodes a gzip body, and holds the decoded body to maxResponseBytes', async () => {
    const json = { data: 'y'.repeat(32 * 1024) };
    const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    const raw = gzipSync(JSON.stringify(json));
    expect(raw.length, 'the compressed body is under the limit').to.be.below(4 * 1024);
    upstream.otherwise({ status: 200, raw, headers });
    expect((await client().get('/zipped')).body).to.deep.equal(json);
    const error = await rejection(client({ maxResponseBytes: 4 * 1024 }).get('/zipped'));
    expect(error).to.include({ code: 'UPSTREAM_ERROR', attempts: 1 });
    expect((error.cause as { code?: string }).code).to.equal('ERESPONSETOOLARGE');
  });

  it('answers a HEAD with its status and headers and no body', async () => {
    upstream.otherwise({ status: 200, body: { ok: true }, headers: { 'x-upstream': 'yes' } });
    const res = await client().request('HEAD', '/x');
    expect(res).to.deep.include({ status: 200, body: undefined, attempts: 1 });
    expect(res.headers['x-upstream']).to.equal('yes');
    expect(upstream.requests[0]).to.include({ method: 'HEAD' });
  });

  it('sends a body-less POST, PUT and OPTIONS at once, with no body', async () => {
    for (const method of ['POST', 'PUT', 'OPTIONS'] as const) await client().request(method, '/x');
    expect(upstream.requests.map((r) => [r.method, r.body])).to.deep.equal([
      ['POST', ''],
      ['PUT', ''],
      ['OPTIONS', ''],
    ]);
  });

  it('refuses paths that could leave the configured upstream, before any I/O', async () => {
    const c = client();
    for (const path of ['http://evil.test/x', '//evil.test/x', 'x']) {
      try {
        await c.get(path);
        expect.fail(`accepted ${path}`);
      } catch (error) {
        expect(error).to.be.instanceOf(TypeError);
      }
    }
    expect((await c.get('/\\evil.test/x')).status).to.equal(200);
    expect(upstream.requests).to.have.length(1);
  });

  it('rejects with the caller’s reason when the caller aborts, and stops retrying', async () => {
    upstream.otherwise('hang');
    const controller = new AbortController();
    const call = client().get('/x', { signal: controller.signal });
    await upstream.seen(1);
    controller.abort(new Error('client went away'));
    expect(((await rejectionOf(call)) as Error).message).to.equal('client went away');
    expect(upstream.requests).to.have.length(1);
  });

  it('stops waiting for the next retry when the caller aborts during the backoff', async () => {
    upstream.otherwise({ status: 502 });
    const controller = new AbortController();
    const call = client({ retry: { baseDelayMs: 60_000, jitter: 'none' } }).get('/x', { signal: controller.signal });
    await upstream.seen(1);
    controller.abort(new Error('client went away'));
    expect(((await rejectionOf(call)) as Error).message).to.equal('client went away');
    expect(upstream.requests).to.have.length(1);
    expect(log.entries().at(-1)).to.include({ event: 'http_client_call', level: 'info', error_code: 'ABORTED' });
  });

  it('rejects calls after close()', async () => {
    const c = client();
    await c.close();
    await c.close();
    try {
      await c.get('/x');
      expect.fail('resolved');
    } catch (error) {
      expect((error as Error).message).to.match(/closed/);
    }
    expect(upstream.requests).to.have.length(0);
  });

  it('rejects a nonsense configuration at creation', () => {
    expect(() => createHttpClient({ baseUrl: 'billing:8080', logger: log.logger })).to.throw(TypeError, /baseUrl/);
    expect(() => createHttpClient({ baseUrl: 'ftp://x', logger: log.logger })).to.throw(TypeError, /http or https/);
    expect(() => createHttpClient({ baseUrl: 'http://u:p@x', logger: log.logger })).to.throw(TypeError, /credentials/);
    expect(() => createHttpClient({ baseUrl: 'http://x?a=1', logger: log.logger })).to.throw(TypeError, /query/);
    expect(() => createHttpClient({ baseUrl: 'http://x', logger: log.logger, timeouts: { connect: 0 } })).to.throw(
      TypeError,
      /timeouts.connect/,
    );
  });

  describe('propagation', () => {
    const context = callerContext;

    it('sends X-Request-ID, X-Correlation-ID and a child traceparent inside a request scope', async () => {
      upstream.script({ status: 502 });
      await runWithRequestContext(context, () => client().get('/x'));
      const [first, second] = upstream.requests.map((r) => r.headers);
      expect(first).to.include({ 'x-request-id': context.requestId, 'x-correlation-id': 'corr-123' });
      expect(first!.traceparent).to.match(CHILD_TRACEPARENT);
      expect(first!.traceparent).not.to.contain(context.trace.spanId);
      // Each attempt is its own child span.
      expect(second!.traceparent)
        .to.match(/^00-4bf92f3577b34da6a3ce929d0e0e4736-/)
        .and.not.equal(first!.traceparent);
    });

    it('lets what the call or the client sets win over the propagated values', async () => {
      const made = client({ headers: { 'X-Correlation-ID': 'from-client' } });
      await runWithRequestContext(context, () =>
        made.get('/x', { headers: { TraceParent: '00-00000000000000000000000000000001-0000000000000001-00' } }),
      );
      expect(upstream.requests[0]!.headers).to.include({
        'x-request-id': context.requestId,
        'x-correlation-id': 'from-client',
        traceparent: '00-00000000000000000000000000000001-0000000000000001-00',
        accept: 'application/json',
      });
    });

    it('adds none of them outside a request scope', async () => {
      await client().get('/x');
      const headers = upstream.requests[0]!.headers;
      expect(headers).not.to.have.any.keys('x-request-id', 'x-correlation-id', 'traceparent');
    });
  });

  describe('logging', () => {
    it('writes one info line per successful call without query string or header values', async () => {
      upstream.script({ status: 502 }, { status: 200 });
      await client({ service: 'billing-service', headers: { authorization: 'Bearer sekret-token-1' } }).get(
        '/invoices/7?token=abc123',
        {
          query: { email: 'someone@example.com' },
          headers: { 'x-api-key': 'key-value-9' },
        },
      );
      const lines = log.entries().filter((e) => e.event === 'http_client_call');
      expect(lines).to.have.length(1);
      expect(lines[0]).to.include({
        level: 'info',
        service: 'test-service',
        upstream: 'billing-service',
        method: 'GET',
        origin: upstream.url,
        path: '/invoices/7',
        status: 200,
        attempts: 2,
      });
      expect(lines[0]!.duration_ms).to.be.a('number');
      for (const secret of ['abc123', 'someone', 'sekret-token-1', 'key-value-9', 'token=', '?'])
        expect(log.text()).not.to.contain(secret);
      expect(upstream.requests[1]!.headers).to.include({
        authorization: 'Bearer sekret-token-1',
        'x-api-key': 'key-value-9',
      });
    });

    it('writes one warn line per failed call with the error code and cause code', async () => {
      upstream.otherwise('reset');
      await rejection(client({ retry: false }).get('/x?q=1'));
      const lines = log.entries().filter((e) => e.event === 'http_client_call');
      expect(lines).to.have.length(1);
      expect(lines[0]).to.include({
        level: 'warn',
        path: '/x',
        attempts: 1,
        error_code: 'UPSTREAM_ERROR',
        cause_code: 'ECONNRESET',
      });
      expect(lines[0]).not.to.have.property('status');
    });
  });
});
