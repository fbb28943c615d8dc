import { expect } from 'chai';
import express from 'express';
import { connect } from 'node:net';
import { createLifecycle, createServiceApp, loadConfig } from '../../src/index.js';
import { type StartedService } from '../../src/lifecycle/http-server.js';
import { captureLogger } from '../helpers.js';

/** Sends raw bytes and resolves with everything the server wrote before closing. */
function raw(port: number, bytes: string, keepOpenMs = 0): Promise<{ text: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(bytes);
      if (keepOpenMs > 0) setTimeout(() => socket.write('1'), keepOpenMs).unref();
    });
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => resolve({ text, ms: Date.now() - started }));
  });
}

function parse(text: string): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) as Record<string, unknown> };
}

describe('hardening: slow and oversized clients', function () {
  this.timeout(20_000);
  let service: StartedService;
  let shutdown: () => Promise<number>;
  const log = captureLogger();

  before(async () => {
    const lifecycle = createLifecycle({
      logger: log.logger,
      config: { PORT: 0, HOST: '127.0.0.1', REQUEST_TIMEOUT_MS: 1000 },
      handleProcessEvents: false,
      exit: () => undefined,
    });
    const router = express.Router().post('/api/v1/echo', (req, res) => {
      res.json(req.body);
    });
    service = await lifecycle.start(
      createServiceApp({
        config: loadConfig({ env: {}, envFile: false }),
        logger: log.logger,
        routes: router,
        lifecycle,
      }),
    );
    shutdown = () => lifecycle.shutdown('test');
  });

  after(async () => {
    await shutdown();
  });

  it('cuts a body that trickles in slower than REQUEST_TIMEOUT_MS with 408 REQUEST_TIMEOUT in the unified shape', async () => {
    const { text, ms } = await raw(
      service.port,
      'POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"a":',
      300,
    );
    const res = parse(text);
    expect(res.status).to.equal(408);
    expect(res.body).to.include({ error: 'REQUEST_TIMEOUT', code: 'REQUEST_TIMEOUT' });
    expect(res.body.request_id).to.equal(res.headers['x-request-id']);
    expect(ms).to.be.below(5000);
  });

  it('cuts headers that never finish (slowloris)', async () => {
    const { text } = await raw(service.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(parse(text).status).to.equal(408);
  });

  it('answers a huge query string with 431 HEADERS_TOO_LARGE in the unified shape', async () => {
    const { text } = await raw(service.port, `GET /healthz?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const res = parse(text);
    expect(res.status).to.equal(431);
    expect(res.body).to.include({ code: 'HEADERS_TOO_LARGE' });
    expect(res.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
  });

  it('answers malformed HTTP with 400 in the unified shape', async () => {
    const { text } = await raw(service.port, 'GARBAGE\r\n\r\n');
    const res = parse(text);
    expect(res.status).to.equal(400);
    expect(res.body).to.include({ code: 'BAD_REQUEST' });
  });

  it('answers a Content-Length over the limit with 413 at once, without waiting for the body (a client that stalls)', async () => {
    // The client announces 10 MB, sends five bytes and then nothing: the answer must not wait for
    // the rest (it would come only at the request timeout, as a 408).
    const { text, ms } = await raw(
      service.port,
      'POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{"a":',
    );
    const res = parse(text);
    expect(res.status).to.equal(413);
    expect(res.body).to.include({ error: 'PAYLOAD_TOO_LARGE', code: 'PAYLOAD_TOO_LARGE' });
    expect(res.body.request_id).to.equal(res.headers['x-request-id']);
    expect(res.headers.connection).to.equal('close');
    // Well below REQUEST_TIMEOUT_MS (1000 here): the server closed the socket right after its answer.
    expect(ms).to.be.below(900);
  });

  it('answers an HTTP/1.1 request without Host with 400 in the unified shape and an X-Request-ID', async () => {
    const { text } = await raw(service.port, 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n');
    const res = parse(text);
    expect(res.status).to.equal(400);
    expect(res.body).to.include({ error: 'BAD_REQUEST', code: 'BAD_REQUEST' });
    expect(res.body.request_id).to.equal(res.headers['x-request-id']);
    expect(res.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
  });

  it('still answers HTTP/1.0 without Host (it has none to send)', async () => {
    const { text } = await raw(service.port, 'GET /healthz HTTP/1.0\r\n\r\n');
    expect(parse(text).status).to.equal(200);
  });

  it('logs each refusal without the request text', () => {
    const refusals = log.entries().filter((e) => e.event === 'client_error');
    expect(refusals.map((e) => e.code)).to.include.members(['REQUEST_TIMEOUT', 'HEADERS_TOO_LARGE', 'BAD_REQUEST']);
    expect(log.text()).not.to.contain('xxxxxxxxxx');
  });
});
