import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHttpClient, type HttpClient } from '../../src/index.js';
import { createCircuitBreakerRegistry, defaultCircuitBreakers } from '../../src/public/client.js';
import type { CircuitBreakerRegistry } from '../../src/client/circuit-breaker.js';
import { captureLogger, type CapturedLogger } from '../helpers.js';
import { rejection, startUpstream, type Upstream } from './upstream.js';

const COOL_DOWN_MS = 40;

describe('createCircuitBreakerRegistry', () => {
  let upstream: Upstream;
  let other: Upstream;
  let log: CapturedLogger;
  let breakers: CircuitBreakerRegistry;
  const clients: HttpClient[] = [];

  function client(baseUrl = upstream.url): HttpClient {
    // No retries, so each call is one attempt and one breaker outcome.
    const made = createHttpClient({ baseUrl, logger: log.logger, retry: false, breakers });
    clients.push(made);
    return made;
  }

  async function openCircuit(c: HttpClient): Promise<void> {
    upstream.otherwise({ status: 503 });
    for (let i = 0; i < 5; i += 1) expect((await rejection(c.get('/x'))).code).to.equal('UPSTREAM_ERROR');
  }

  beforeEach(async () => {
    upstream = await startUpstream();
    other = await startUpstream();
    log = captureLogger();
    breakers = createCircuitBreakerRegistry({ halfOpenAfterMs: COOL_DOWN_MS });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all([upstream.close(), other.close()]);
  });

  it('opens after five failures and then fails fast with 503 CIRCUIT_OPEN without a request', async () => {
    const c = client();
    await openCircuit(c);
    expect(breakers.get(upstream.url).state).to.equal('open');
    const error = await rejection(c.get('/x'));
    expect(error).to.include({ code: 'CIRCUIT_OPEN', status: 503, attempts: 0, origin: upstream.url });
    expect(upstream.requests).to.have.length(5);
    const opened = log.entries().filter((e) => e.event === 'circuit_opened');
    expect(opened).to.have.length(1);
    expect(opened[0]).to.include({ level: 'error', origin: upstream.url, threshold: 5 });
    expect(log.entries().at(-1)).to.include({
      event: 'http_client_call',
      level: 'warn',
      error_code: 'CIRCUIT_OPEN',
      attempts: 0,
    });
  });

  it('is shared by every client of the registry for the same origin', async () => {
    await openCircuit(client());
    expect((await rejection(client().get('/y'))).code).to.equal('CIRCUIT_OPEN');
    expect(upstream.requests).to.have.length(5);
  });

  it('stops a call’s retries once the circuit opens during them', async () => {
    upstream.otherwise({ status: 502 });
    const c = createHttpClient({
      baseUrl: upstream.url,
      logger: log.logger,
      retry: { limit: 10, baseDelayMs: 1, maxDelayMs: 2 },
      breakers,
    });
    clients.push(c);
    const error = await rejection(c.get('/x'));
    expect(error).to.include({ code: 'CIRCUIT_OPEN', attempts: 5, upstreamStatus: 502 });
    expect(upstream.requests).to.have.length(5);
  });

  it('never counts 4xx answers as failures', async () => {
    upstream.otherwise({ status: 404 });
    const c = client();
    for (let i = 0; i < 8; i += 1) expect((await c.get('/x')).status).to.equal(404);
    expect(breakers.get(upstream.url).state).to.equal('closed');
  });

  it('lets exactly one trial through after the cool-down and closes on its success', async () => {
    const c = client();
    await openCircuit(c);
    await sleep(COOL_DOWN_MS + 10);
    upstream.script('hang');
    upstream.otherwise({ status: 200 });
    const trial = c.get('/x', { timeouts: { response: 2_000 } });
    await upstream.seen(6);
    expect(breakers.get(upstream.url).state).to.equal('half-open');
    // While the trial is in flight, everyone else still fails fast.
    expect((await rejection(c.get('/x'))).code).to.equal('CIRCUIT_OPEN');
    expect(upstream.requests).to.have.length(6);
    await upstream.close();
    // The hung trial ended by the server going away: a failure, so the circuit opens again.
    expect((await rejection(trial)).code).to.equal('UPSTREAM_ERROR');
    expect(breakers.get(upstream.url).state).to.equal('open');

    upstream = await startUpstream({ status: 200, body: { ok: true } });
    const next = client(upstream.url);
    await openCircuit(next);
    await sleep(COOL_DOWN_MS + 10);
    upstream.otherwise({ status: 200 });
    expect((await next.get('/x')).status).to.equal(200);
    expect(breakers.get(upstream.url).state).to.equal('closed');
    expect((await next.get('/x')).status).to.equal(200);
    const events = log
      .entries()
      .map((e) => e.event)
      .filter((e) => String(e).startsWith('circuit_'));
    expect(events).to.deep.equal([
      'circuit_opened',
      'circuit_half_open',
      'circuit_opened',
      'circuit_opened',
      'circuit_half_open',
      'circuit_closed',
    ]);
  });

  it('reopens when the half-open trial fails', async () => {
    const c = client();
    await openCircuit(c);
    await sleep(COOL_DOWN_MS + 10);
    expect((await rejection(c.get('/x'))).code).to.equal('UPSTREAM_ERROR');
    expect(breakers.get(upstream.url).state).to.equal('open');
    expect((await rejection(c.get('/x'))).code).to.equal('CIRCUIT_OPEN');
    expect(upstream.requests).to.have.length(6);
  });

  it('reopens when the caller abandons the half-open trial, and does not count caller aborts otherwise', async () => {
    const c = client();
    upstream.otherwise('hang');
    for (let i = 0; i < 6; i += 1) {
      const controller = new AbortController();
      const call = c.get('/x', { signal: controller.signal });
      await upstream.seen(i + 1);
      controller.abort(new Error('gone'));
      await call.catch(() => undefined);
    }
    expect(breakers.get(upstream.url).state).to.equal('closed');
    await openCircuit(c);
    await sleep(COOL_DOWN_MS + 10);
    upstream.otherwise('hang');
    const controller = new AbortController();
    const trial = c.get('/x', { signal: controller.signal });
    await upstream.seen(12);
    controller.abort(new Error('gone'));
    await trial.catch(() => undefined);
    expect(breakers.get(upstream.url).state).to.equal('open');
  });

  it('keeps origins apart: a dead upstream does not open another’s breaker', async () => {
    await openCircuit(client());
    const healthy = client(other.url);
    expect((await healthy.get('/x')).status).to.equal(200);
    expect(breakers.get(other.url).state).to.equal('closed');
    expect(breakers.get(upstream.url).state).to.equal('open');
  });

  it('rejects nonsense options', () => {
    expect(() => createCircuitBreakerRegistry({ threshold: 0 })).to.throw(TypeError, /threshold/);
    expect(() => createCircuitBreakerRegistry({ halfOpenAfterMs: 1.5 })).to.throw(TypeError, /halfOpenAfterMs/);
  });
});

describe('defaultCircuitBreakers', () => {
  it('is one registry for the whole process, used by clients given none', async () => {
    const upstream = await startUpstream({ status: 503 });
    const { logger } = captureLogger();
    const a = createHttpClient({ baseUrl: upstream.url, logger, retry: false });
    const b = createHttpClient({ baseUrl: upstream.url, logger, retry: false });
    try {
      expect(defaultCircuitBreakers()).to.equal(defaultCircuitBreakers());
      for (let i = 0; i < 5; i += 1) await rejection(a.get('/x'));
      expect(defaultCircuitBreakers().get(upstream.url).state).to.equal('open');
      expect((await rejection(b.get('/x'))).code).to.equal('CIRCUIT_OPEN');
    } finally {
      await Promise.all([a.close(), b.close(), upstream.close()]);
    }
  });
});
