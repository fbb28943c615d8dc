import { expect } from 'chai';
import express, { Router, type Express } from 'express';
import { Counter } from 'prom-client';
import request from 'supertest';
import { createError, createMetrics, createServiceApp, loadConfig } from '../../src/index.js';
import { captureLogger, testLifecycle } from '../helpers.js';

const config = loadConfig({ env: {}, envFile: false });

function entitiesRouter(): Router {
  const router = Router();
  router.get('/:id', (req, res) => {
    if (req.params.id === 'boom') throw new Error('kaput');
    if (req.params.id === 'missing') throw createError('ROUTE_NOT_FOUND');
    res.json({ id: req.params.id });
  });
  return router;
}

function sample(text: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`http_request_duration_seconds_count{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('createMetrics', () => {
  it('labels requests by method, route template with its mount path, and status', async () => {
    const app = createServiceApp({
      config,
      logger: captureLogger().logger,
      routes: (a: Express) => {
        a.use('/api/v1/entities', entitiesRouter());
      },
    });
    await request(app).get('/api/v1/entities/1').expect(200);
    await request(app).get('/api/v1/entities/2').expect(200);
    await request(app).get('/api/v1/entities/boom').expect(500);
    await request(app).get('/api/v1/entities/missing').expect(404);
    await request(app).get('/nothing/here/42').expect(404);
    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).to.match(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(sample(res.text, 'method="GET",route="/api/v1/entities/:id",status_code="200"')).to.equal(2);
    // An error leaving the router keeps the full template, not just "/:id".
    expect(sample(res.text, 'method="GET",route="/api/v1/entities/:id",status_code="500"')).to.equal(1);
    expect(sample(res.text, 'method="GET",route="/api/v1/entities/:id",status_code="404"')).to.equal(1);
    expect(sample(res.text, 'method="GET",route="unmatched",status_code="404"')).to.equal(1);
    // Never a raw path with an id in it.
    expect(res.text).not.to.include('/api/v1/entities/1"');
    expect(res.text).not.to.include('/nothing/here');
  });

  it('counts requests in flight and includes the default process metrics', async () => {
    const metrics = createMetrics();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const app = createServiceApp({
      config,
      logger: captureLogger().logger,
      lifecycle: testLifecycle({ metrics }),
      routes: (a: Express) => {
        a.get('/slow', async (_req, res) => {
          await gate;
          res.json({});
        });
      },
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const pending = fetch(`${url}/slow`);
      while (
        !(await metrics.registry.getSingleMetricAsString('http_requests_in_flight')).includes(
          'http_requests_in_flight 1',
        )
      )
        await new Promise((r) => setImmediate(r));
      release();
      await (await pending).json();
      const text = await (await fetch(`${url}/metrics`)).text();
      expect(text).to.include('process_cpu_user_seconds_total');
      expect(text).to.include('nodejs_eventloop_lag_seconds');
      expect(text).to.match(/http_requests_in_flight 1\n/); // the /metrics request itself
    } finally {
      server.close();
    }
  });

  it('keeps one registry per app, so two apps never share or double-register series', async () => {
    const first = createMetrics({ defaultMetrics: false });
    const second = createMetrics({ defaultMetrics: false });
    const invoices = new Counter({ name: 'invoices_total', help: 'Invoices', registers: [first.registry] });
    invoices.inc(3);
    const app = express();
    app.use(first.middleware);
    app.get('/x', (_req, res) => res.send('x'));
    await request(app).get('/x');
    expect(await first.registry.metrics()).to.include('invoices_total 3');
    expect(await second.registry.metrics()).not.to.include('invoices_total');
    expect(await second.registry.metrics()).not.to.include('route="/x"');
  });

  it('applies the prefix, buckets and default labels', async () => {
    const metrics = createMetrics({
      prefix: 'billing_',
      buckets: [0.1, 1],
      labels: { service: 'billing' },
      defaultMetrics: false,
    });
    const app = express();
    app.use(metrics.middleware);
    app.get('/x', (_req, res) => res.send('x'));
    await request(app).get('/x');
    const text = await metrics.registry.metrics();
    expect(text).to.include(
      'billing_http_request_duration_seconds_bucket{le="0.1",service="billing",method="GET",route="/x",status_code="200"} 1',
    );
    expect(text).not.to.include('le="0.005"');
  });

  it('serves no /metrics when METRICS_ENABLED is false', async () => {
    const app = createServiceApp({
      config: loadConfig({ env: { METRICS_ENABLED: 'false' }, envFile: false }),
      logger: captureLogger().logger,
      routes: [],
    });
    await request(app).get('/metrics').expect(404);
  });
});
