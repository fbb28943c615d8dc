import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceApp, env, isUpstreamError, loadConfig, serviceClient, type HttpClient } from '../../src/index.js';
import { createCircuitBreakerRegistry, serviceUrlVariable } from '../../src/public/client.js';
import { captureLogger } from '../helpers.js';
import { startUpstream, type Upstream } from './upstream.js';

describe('serviceClient', () => {
  let upstream: Upstream;
  const clients: HttpClient[] = [];

  beforeEach(async () => {
    upstream = await startUpstream({ status: 200, body: { id: 'inv_1', amount: 5 } });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await upstream.close();
  });

  it('derives the variable name from the service name', () => {
    expect(serviceUrlVariable('billing-service')).to.equal('BILLING_SERVICE_URL');
    expect(serviceUrlVariable('ledger')).to.equal('LEDGER_URL');
    expect(() => serviceUrlVariable('Billing_Service')).to.throw(TypeError, /kebab-case/);
  });

  it('reads BILLING_SERVICE_URL once, at creation', async () => {
    const env: Record<string, string | undefined> = { BILLING_SERVICE_URL: upstream.url };
    const billing = serviceClient('billing-service', {
      env,
      logger: captureLogger().logger,
      breakers: createCircuitBreakerRegistry(),
    });
    clients.push(billing);
    env.BILLING_SERVICE_URL = 'http://127.0.0.1:1';
    expect((await billing.get('/invoices/1')).body).to.deep.equal({ id: 'inv_1', amount: 5 });
    expect(billing.origin).to.equal(upstream.url);
  });

  it('rejects every call with 503 SERVICE_NOT_CONFIGURED when the variable is unset', async () => {
    const log = captureLogger();
    const billing = serviceClient('billing-service', { env: { BILLING_SERVICE_URL: ' ' }, logger: log.logger });
    for (const call of [billing.get('/invoices?x=1'), billing.post('/invoices'), billing.request('HEAD', '/')]) {
      try {
        await call;
        expect.fail('resolved');
      } catch (error) {
        expect(isUpstreamError(error)).to.equal(true);
        expect(error).to.include({
          status: 503,
          code: 'SERVICE_NOT_CONFIGURED',
          message: 'An upstream service is not configured.',
          attempts: 0,
        });
      }
    }
    const calls = log.entries().filter((e) => e.event === 'http_client_call');
    expect(calls[0]).to.include({
      level: 'warn',
      upstream: 'billing-service',
      variable: 'BILLING_SERVICE_URL',
      path: '/invoices',
      error_code: 'SERVICE_NOT_CONFIGURED',
    });
    expect(log.text()).not.to.contain('x=1');
  });

  it('warns once, at creation, when the variable is unset: before the first call, not with it', () => {
    const log = captureLogger();
    serviceClient('billing-service', { env: {}, logger: log.logger });
    expect(log.entries()).to.have.length(1);
    expect(log.entries()[0]).to.include({
      event: 'service_not_configured',
      level: 'warn',
      upstream: 'billing-service',
      variable: 'BILLING_SERVICE_URL',
    });
    const configured = serviceClient('billing-service', {
      env: { BILLING_SERVICE_URL: upstream.url },
      logger: log.logger,
      breakers: createCircuitBreakerRegistry(),
    });
    clients.push(configured);
    expect(log.entries()).to.have.length(1);
  });

  it('reads the URL from the loaded config, so a variable set only in .env reaches the client', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'service-client-env-'));
    try {
      writeFileSync(join(dir, '.env'), `BILLING_SERVICE_URL=${upstream.url}\n`);
      const config = loadConfig({
        fields: { BILLING_SERVICE_URL: env.url({ description: 'Billing service base URL' }) },
        env: {},
        envFile: join(dir, '.env'),
      });
      const log = captureLogger();
      // The config itself is the source: no cast, no copy into process.env.
      const billing = serviceClient('billing-service', {
        env: config,
        logger: log.logger,
        breakers: createCircuitBreakerRegistry(),
      });
      clients.push(billing);
      expect((await billing.get('/invoices/1')).body).to.deep.equal({ id: 'inv_1', amount: 5 });
      expect(log.entries().map((e) => e.event)).not.to.include('service_not_configured');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a value that is not a string (a config field of another type)', () => {
    expect(() =>
      serviceClient('billing-service', { env: { BILLING_SERVICE_URL: 8080 }, logger: captureLogger().logger }),
    ).to.throw(TypeError, /BILLING_SERVICE_URL must be a URL string/);
  });

  it('reads process.env by default and throws at creation on a malformed URL', () => {
    expect(() =>
      serviceClient('billing-service', { env: { BILLING_SERVICE_URL: 'not a url' }, logger: captureLogger().logger }),
    ).to.throw(TypeError, /BILLING_SERVICE_URL is not a valid service URL/);
    const previous = process.env.LEDGER_SERVICE_URL;
    process.env.LEDGER_SERVICE_URL = upstream.url;
    try {
      const ledger = serviceClient('ledger-service', { logger: captureLogger().logger });
      clients.push(ledger);
      expect(ledger.origin).to.equal(upstream.url);
    } finally {
      if (previous === undefined) delete process.env.LEDGER_SERVICE_URL;
      else process.env.LEDGER_SERVICE_URL = previous;
    }
  });

  describe('through createServiceApp', () => {
    function appCalling(billing: HttpClient) {
      const { logger } = captureLogger();
      return createServiceApp({
        config: loadConfig({ env: {}, envFile: false }),
        logger,
        routes: (app: Express) =>
          void app.get('/orders/:id', async function showOrder(req, res) {
            const invoice = await billing.get(`/invoices/${encodeURIComponent(req.params.id)}`);
            res.json({ order: req.params.id, invoice: invoice.body });
          }),
      });
    }

    function billingAt(url: string | undefined, timeouts = {}, threshold = 5): HttpClient {
      const client = serviceClient('billing-service', {
        env: { BILLING_SERVICE_URL: url },
        logger: captureLogger().logger,
        retry: { baseDelayMs: 1, maxDelayMs: 2 },
        timeouts,
        breakers: createCircuitBreakerRegistry({ threshold }),
      });
      clients.push(client);
      return client;
    }

    it('propagates the incoming request’s ids and trace to the upstream', async () => {
      const res = await request(appCalling(billingAt(upstream.url)))
        .get('/orders/7')
        .set('x-correlation-id', 'corr-abc')
        .set('traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')
        .expect(200);
      expect(res.body).to.deep.equal({ order: '7', invoice: { id: 'inv_1', amount: 5 } });
      const seen = upstream.requests[0]!.headers;
      expect(seen).to.include({ 'x-request-id': res.headers['x-request-id'], 'x-correlation-id': 'corr-abc' });
      expect(seen.traceparent).to.match(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    });

    it('renders an upstream 5xx as 502 UPSTREAM_ERROR in the unified shape, without the upstream body', async () => {
      upstream.otherwise({ status: 503, body: { message: 'internal stack trace at db.js:12' } });
      const res = await request(appCalling(billingAt(upstream.url)))
        .get('/orders/7')
        .expect(502);
      expect(res.body).to.deep.equal({
        error: 'BAD_GATEWAY',
        message: 'An upstream service failed.',
        code: 'UPSTREAM_ERROR',
        request_id: res.headers['x-request-id'],
      });
      expect(res.text).not.to.contain('db.js');
    });

    it('renders a timeout as 504 UPSTREAM_TIMEOUT', async () => {
      upstream.otherwise('hang');
      const res = await request(appCalling(billingAt(upstream.url, { deadline: 60 })))
        .get('/orders/7')
        .expect(504);
      expect(res.body).to.include({ error: 'GATEWAY_TIMEOUT', code: 'UPSTREAM_TIMEOUT' });
    });

    it('renders an open circuit as 503 CIRCUIT_OPEN and a missing URL as 503 SERVICE_NOT_CONFIGURED', async () => {
      upstream.otherwise({ status: 500 });
      const app = appCalling(billingAt(upstream.url, {}, 2));
      await request(app).get('/orders/1').expect(502);
      await request(app).get('/orders/2').expect(502);
      const open = await request(app).get('/orders/3').expect(503);
      expect(open.body).to.include({ error: 'SERVICE_UNAVAILABLE', code: 'CIRCUIT_OPEN' });
      expect(upstream.requests).to.have.length(2);

      const missing = await request(appCalling(billingAt(undefined)))
        .get('/orders/1')
        .expect(503);
      expect(missing.body).to.include({
        code: 'SERVICE_NOT_CONFIGURED',
        message: 'An upstream service is not configured.',
      });
      expect(JSON.stringify(missing.body)).to.not.contain('BILLING_SERVICE_URL');
    });
  });
});
