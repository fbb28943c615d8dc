import { expect } from 'chai';
import type { Express, Request, Response } from 'express';
import request from 'supertest';
import { createLifecycle, createMetrics, createServiceApp, loadConfig } from '../../src/index.js';
import { captureLogger } from '../helpers.js';

describe('createServiceApp', () => {
  it('answers GET /healthz with {"status":"ok"} and a request id', async () => {
    const { logger } = captureLogger();
    const app = createServiceApp({ config: loadConfig({ env: {}, envFile: false }), logger, routes: [] });
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
    expect(res.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
  });

  it('routes operational paths as Express matches them (any case, trailing slash) and answers 405 for other methods', async () => {
    const { logger } = captureLogger();
    const app = createServiceApp({
      config: loadConfig({ env: {}, envFile: false }),
      logger,
      routes: (a: Express) => a.get('/api/v1/things', (_req: Request, res: Response) => res.json({ ok: true })),
    });
    for (const path of ['/healthz', '/HEALTHZ', '/healthz/', '/Version/']) {
      await request(app).get(path).expect(200);
    }
    await request(app).head('/readyz').expect(200);
    const wrongMethod = await request(app).post('/healthz').expect(405);
    expect(wrongMethod.headers.allow).to.equal('GET, HEAD');
    expect((wrongMethod.body as { code: string }).code).to.equal('METHOD_NOT_ALLOWED');
    await request(app).get('/healthzz').expect(404);
    await request(app).get('/api/v1/things').expect(200);
  });

  it('takes readiness, metrics and error reporting from the lifecycle, all from one option', async () => {
    const { logger } = captureLogger();
    const reported: { code: string; requestId: string }[] = [];
    const metrics = createMetrics({ defaultMetrics: false, prefix: 'app_' });
    const lifecycle = createLifecycle({
      logger,
      config: { OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: 0 },
      handleProcessEvents: false,
      exit: () => undefined,
      metrics,
      observability: {
        captureException: () => undefined,
        flush: () => Promise.resolve(true),
        onServerError: (error, _req, requestId) => reported.push({ code: error.code, requestId }),
      },
    });
    const app = createServiceApp({
      config: loadConfig({ env: {}, envFile: false }),
      logger,
      lifecycle,
      routes: (a: Express) =>
        a.get('/boom', () => {
          throw new Error('kaput');
        }),
    });
    // Not started: the lifecycle's readiness registry is still starting, and the app says so.
    expect((await request(app).get('/readyz').expect(503)).body).to.deep.include({
      status: 'not_ready',
      reason: 'starting',
    });
    lifecycle.health.markReady();
    await request(app).get('/readyz').expect(200);
    const boom = await request(app).get('/boom').expect(500);
    expect(reported).to.deep.equal([{ code: 'INTERNAL_ERROR', requestId: boom.headers['x-request-id'] }]);
    // The lifecycle's registry is the one /metrics serves: it counted the requests above.
    expect(lifecycle.metrics).to.equal(metrics);
    const text = (await request(app).get('/metrics').expect(200)).text;
    expect(text).to.match(/app_http_request_duration_seconds_count\{[^}]*route="\/boom"[^}]*\} 1/);
  });

  it('serves no /metrics when the lifecycle has none', async () => {
    const { logger } = captureLogger();
    const lifecycle = createLifecycle({
      logger,
      config: { OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: 0, METRICS_ENABLED: false },
      handleProcessEvents: false,
      exit: () => undefined,
    });
    expect(lifecycle.metrics).to.equal(false);
    const app = createServiceApp({ config: loadConfig({ env: {}, envFile: false }), logger, lifecycle, routes: [] });
    await request(app).get('/metrics').expect(404);
  });
});
