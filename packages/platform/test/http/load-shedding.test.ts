import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { once } from 'node:events';
import { createLifecycle, createServiceApp, loadConfig } from '../../src/index.js';
import { createLoadShedder } from '../../src/public/http.js';
import { captureLogger } from '../helpers.js';

function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy: this is the overload being simulated
  }
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createLoadShedder', () => {
  it('sheds with 503 OVERLOADED and Retry-After while the event loop stays late, exempts probes, then releases', async () => {
    const log = captureLogger();
    const shedder = createLoadShedder({
      maxEventLoopDelayMs: 40,
      sampleIntervalMs: 100,
      windowsToEngage: 2,
      retryAfterSeconds: 3,
      logger: log.logger,
    });
    const app = createServiceApp({
      config: loadConfig({ env: {}, envFile: false }),
      logger: log.logger,
      observers: [shedder.middleware],
      routes: (a: Express) => {
        a.get('/api/v1/work', (_req, res) => {
          res.json({ ok: true });
        });
      },
    });
    shedder.start();
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const agent = request(server);
    try {
      await agent.get('/api/v1/work').expect(200);
      for (let i = 0; i < 6 && !shedder.isOverloaded(); i++) {
        blockEventLoop(150);
        await tick(5);
      }
      expect(shedder.isOverloaded(), 'engaged').to.equal(true);
      const shed = await agent.get('/api/v1/work').expect(503);
      expect(shed.body).to.include({ error: 'SERVICE_UNAVAILABLE', code: 'OVERLOADED' });
      expect(shed.headers['retry-after']).to.equal('3');
      expect(shed.headers['x-request-id']).to.equal(shed.body.request_id);
      await agent.get('/healthz').expect(200);
      for (let i = 0; i < 20 && shedder.isOverloaded(); i++) await tick(50);
      expect(shedder.isOverloaded(), 'released').to.equal(false);
      await agent.get('/api/v1/work').expect(200);
      expect(log.entries().map((e) => e.event)).to.include.members(['load_shedding_started', 'load_shedding_stopped']);
    } finally {
      shedder.close();
      server.close();
    }
  });

  it('does nothing when the limit is 0', () => {
    const shedder = createLoadShedder({ maxEventLoopDelayMs: 0 });
    expect(shedder.isOverloaded()).to.equal(false);
    shedder.close();
  });
});

describe('createLifecycle load shedding', () => {
  it('turns readiness red while shedding, through the event_loop check', async () => {
    const log = captureLogger();
    const lifecycle = createLifecycle({
      logger: log.logger,
      config: { PORT: 0, HOST: '127.0.0.1', OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: 40 },
      handleProcessEvents: false,
      exit: () => undefined,
    });
    const app = createServiceApp({
      config: loadConfig({ env: {}, envFile: false }),
      logger: log.logger,
      lifecycle,
      routes: [],
    });
    const { server } = await lifecycle.start(app);
    try {
      const ready = await request(server).get('/readyz').expect(200);
      expect(ready.body.checks.event_loop.status).to.equal('ok');
      for (let i = 0; i < 40 && !lifecycle.loadShedder.isOverloaded(); i++) {
        blockEventLoop(1100);
        await tick(5);
      }
      expect(lifecycle.loadShedder.isOverloaded()).to.equal(true);
      const red = await request(server).get('/readyz').expect(503);
      expect(red.body.checks.event_loop.status).to.equal('error');
    } finally {
      await lifecycle.shutdown('test');
    }
  });
});
