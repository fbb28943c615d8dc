import { expect } from 'chai';
import request from 'supertest';
import { usedDeprecations } from '../../src/deprecation/index.js';
import { createHealth, createServiceApp, loadConfig } from '../../src/index.js';
import { captureLogger, testLifecycle } from '../helpers.js';

const config = loadConfig({
  env: {
    SERVICE_NAME: 'billing',
    SERVICE_VERSION: '2.3.4',
    GIT_COMMIT: 'abc123',
    BUILD_TIME: '2026-11-26T12:00:00Z',
    METRICS_ENABLED: 'false',
  },
  envFile: false,
});

describe('createHealthRouter', () => {
  it('answers /healthz 200 with no-store and touches no check, even while stopping', async () => {
    const health = createHealth();
    let ran = false;
    health.addCheck('db', () => {
      ran = true;
    });
    health.markStopping();
    const app = createServiceApp({
      config,
      logger: captureLogger().logger,
      lifecycle: testLifecycle({ health }),
      routes: [],
    });
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    expect(ran).to.equal(false);
  });

  it('answers /readyz 503 not_ready until startup finished, then 200 ready', async () => {
    const health = createHealth();
    health.addCheck('db', () => undefined);
    const app = createServiceApp({
      config,
      logger: captureLogger().logger,
      lifecycle: testLifecycle({ health }),
      routes: [],
    });
    const before = await request(app).get('/readyz').expect(503);
    expect(before.body).to.deep.include({ status: 'not_ready', reason: 'starting' });
    expect(before.body.checks.db.status).to.equal('ok');
    expect(before.headers['cache-control']).to.equal('no-store');
    health.markReady();
    const after = await request(app).get('/readyz').expect(200);
    expect(after.body.status).to.equal('ready');
    expect(after.body.checks.db.status).to.equal('ok');
    expect(after.body.checks.db.duration_ms).to.be.a('number');
  });

  it('logs a /readyz 503 while starting or stopping as a probe line (debug), one from a failed check at warn, never at error', async () => {
    const log = captureLogger();
    const health = createHealth({ defaultTimeoutMs: 50, logger: log.logger });
    let failing = false;
    health.addCheck('db', () => {
      if (failing) throw new Error('gone');
    });
    const app = createServiceApp({ config, logger: log.logger, lifecycle: testLifecycle({ health }), routes: [] });
    const levelOf = async (): Promise<unknown> => {
      const res = await request(app).get('/readyz');
      return log.entries().find((e) => e.event === 'request_completed' && e.request_id === res.headers['x-request-id'])
        ?.level;
    };
    expect(await levelOf()).to.equal('debug');
    health.markReady();
    failing = true;
    expect(await levelOf()).to.equal('warn');
    health.markStopping();
    expect(await levelOf()).to.equal('debug');
    expect(log.entries().filter((e) => e.level === 'error')).to.deep.equal([]);
  });

  it('answers /readyz 503 with the failing check and 200 degraded for a non-critical one', async () => {
    const health = createHealth({ ready: true, defaultTimeoutMs: 50 });
    const app = createServiceApp({
      config,
      logger: captureLogger().logger,
      lifecycle: testLifecycle({ health }),
      routes: [],
    });
    health.addCheck('cache', () => Promise.reject(new Error('x')), { critical: false });
    expect((await request(app).get('/readyz').expect(200)).body.status).to.equal('degraded');
    health.addCheck('db', () => new Promise(() => undefined));
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.status).to.equal('not_ready');
    expect(res.body.checks.db.status).to.equal('error');
  });

  it('is ready at once when the app was built without a lifecycle', async () => {
    const app = createServiceApp({ config, logger: captureLogger().logger, routes: [] });
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ready', checks: {} });
  });

  it('answers /version with the build, the platform, the Node version and the deprecated APIs in use', async () => {
    const app = createServiceApp({ config, logger: captureLogger().logger, routes: [] });
    const res = await request(app).get('/version').expect(200);
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    expect(res.body).to.deep.equal({
      service_name: 'billing',
      version: '2.3.4',
      commit: 'abc123',
      build_time: '2026-11-26T12:00:00Z',
      environment: 'local',
      platform_version: version,
      node_version: process.versions.node,
      // Other tests of this process may have used a deprecated API; a fresh process lists none (test/deprecation).
      deprecations: [...usedDeprecations()],
    });
    expect(res.headers['cache-control']).to.equal('no-store');
  });

  it('answers other methods on operational routes with 405', async () => {
    const app = createServiceApp({ config, logger: captureLogger().logger, routes: [] });
    const res = await request(app).post('/readyz').expect(405);
    expect(res.headers.allow).to.equal('GET, HEAD');
    expect(res.body.code).to.equal('METHOD_NOT_ALLOWED');
  });
});
