import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import {
  createLifecycle,
  createServiceApp,
  loadConfig,
  type Lifecycle,
  type LifecycleOptions,
} from '../../src/index.js';
import { captureLogger, type CapturedLogger } from '../helpers.js';
import { get } from './http-get.js';

const config = loadConfig({ env: { PORT: '0', HOST: '127.0.0.1', METRICS_ENABLED: 'false' }, envFile: false });

interface Harness {
  readonly lifecycle: Lifecycle;
  readonly log: CapturedLogger;
  readonly exits: number[];
  readonly events: () => string[];
}

function harness(options: Partial<LifecycleOptions> = {}): Harness {
  const log = captureLogger();
  const exits: number[] = [];
  const lifecycle = createLifecycle({
    config,
    logger: log.logger,
    exit: (code) => exits.push(code),
    handleProcessEvents: false,
    ...options,
  });
  return {
    lifecycle,
    log,
    exits,
    events: () =>
      log.entries().map((e) => (typeof e.hook === 'string' ? `${String(e.event)}:${e.hook}` : String(e.event))),
  };
}

/** The first log entry of `event`, waiting for it while the lifecycle works. */
async function waitForEntry(log: CapturedLogger, event: string): Promise<Record<string, unknown>> {
  for (;;) {
    const entry = log.entries().find((e) => e.event === event);
    if (entry !== undefined) return entry;
    await delay(5);
  }
}

describe('createLifecycle', () => {
  it('keeps readiness at 503 (and liveness at 200) until the startup hooks finished', async () => {
    const { lifecycle, log, exits } = harness();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    lifecycle.addStartupHook('migrate', () => gate);
    const app = createServiceApp({ config, logger: log.logger, lifecycle, routes: [] });
    const starting = lifecycle.start(app);
    const listening = await new Promise<string>((resolve) => {
      const poll = (): void => {
        const entry = log.entries().find((e) => e.event === 'server_listening');
        if (entry === undefined) setImmediate(poll);
        else resolve(String(entry.url));
      };
      poll();
    });
    const during = await get(`${listening}/readyz`);
    expect(during.status).to.equal(503);
    expect(JSON.parse(during.body)).to.deep.include({ status: 'not_ready', reason: 'starting' });
    expect((await get(`${listening}/healthz`)).status).to.equal(200);
    release();
    const { url } = await starting;
    expect((await get(`${url}/readyz`)).status).to.equal(200);
    expect(await lifecycle.shutdown('test')).to.equal(0);
    expect(exits).to.deep.equal([0]);
  });

  it('runs shutdown hooks in reverse order, each under its timeout, and exits 1 when one failed or hung', async () => {
    const { lifecycle, exits, events, log } = harness();
    const ran: string[] = [];
    lifecycle.addShutdownHook('database', () => {
      ran.push('database');
    });
    lifecycle.addShutdownHook('hangs', () => new Promise(() => undefined), { timeoutMs: 30 });
    lifecycle.addShutdownHook('throws', () => {
      throw new Error('client already closed');
    });
    lifecycle.addShutdownHook('http_client', async () => {
      await delay(5);
      ran.push('http_client');
    });
    expect(await lifecycle.shutdown('test')).to.equal(1);
    expect(ran).to.deep.equal(['http_client', 'database']);
    expect(events()).to.deep.equal([
      'shutdown_started',
      'shutdown_hook_started:http_client',
      'shutdown_hook_finished:http_client',
      'shutdown_hook_started:throws',
      'shutdown_hook_failed:throws',
      'shutdown_hook_started:hangs',
      'shutdown_hook_timed_out:hangs',
      'shutdown_hook_started:database',
      'shutdown_hook_finished:database',
      'shutdown_complete',
    ]);
    expect(log.text()).to.include('client already closed');
    expect(exits).to.deep.equal([1]);
  });

  it('shuts down once however often it is asked and refuses hooks added too late', async () => {
    const { lifecycle, exits } = harness();
    let runs = 0;
    lifecycle.addShutdownHook('count', () => {
      runs += 1;
    });
    const [first, second] = await Promise.all([lifecycle.shutdown('a'), lifecycle.shutdown('b')]);
    expect([first, second, runs]).to.deep.equal([0, 0, 1]);
    expect(exits).to.deep.equal([0]);
    expect(() => lifecycle.addShutdownHook('late', () => undefined)).to.throw(/after shutdown began/);
    expect(lifecycle.health.phase).to.equal('stopping');
  });

  it('runs the shutdown hooks and exits 1 when a startup hook fails', async () => {
    const { lifecycle, exits, events } = harness();
    lifecycle.addShutdownHook('pool', () => undefined);
    lifecycle.addStartupHook('migrate', () => Promise.reject(new Error('migration 7 failed')));
    let thrown: unknown;
    const app = createServiceApp({ config, logger: captureLogger().logger, routes: [] });
    await lifecycle.start(app).catch((error: unknown) => (thrown = error));
    expect(thrown).to.be.instanceOf(Error);
    expect(exits).to.deep.equal([1]);
    expect(events()).to.include.members(['startup_failed', 'shutdown_hook_finished:pool']);
    expect(() => lifecycle.addStartupHook('late', () => undefined)).to.throw(/after start/);
  });

  it('exits 1 when the port is taken, with one line that names the port and PORT, and no stack', async () => {
    const first = harness();
    const app = createServiceApp({ config, logger: captureLogger().logger, routes: [] });
    const { port } = await first.lifecycle.start(app);
    const secondLog = captureLogger();
    const second = createLifecycle({
      config: { ...config, PORT: port },
      logger: secondLog.logger,
      exit: () => undefined,
      handleProcessEvents: false,
    });
    let code: unknown;
    await second.start(app).catch((error: { code?: unknown }) => (code = error.code));
    expect(code).to.equal('EADDRINUSE');
    const failed = secondLog.entries().find((e) => e.event === 'startup_failed');
    expect(failed?.reason).to.be.a('string').and.include(`port ${port}`).and.include('PORT');
    expect(JSON.stringify(failed)).not.to.include('stack');
    await first.lifecycle.shutdown('test');
  });

  describe('startup hooks with retry (a dependency that comes up after the service)', () => {
    const refused = (): Error =>
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

    it('retries with backoff while readiness stays 503, one warning line per try without a stack, then becomes ready', async () => {
      const { lifecycle, log, exits } = harness();
      const attempts: number[] = [];
      lifecycle.addStartupHook(
        'store',
        ({ attempt }) => {
          attempts.push(attempt);
          if (attempt < 3) throw refused();
        },
        {
          retry: {
            retryIf: (error) => (error as { code?: unknown }).code === 'ECONNREFUSED',
            initialDelayMs: 20,
            maxDelayMs: 40,
          },
        },
      );
      const { url } = await lifecycle.start(createServiceApp({ config, logger: log.logger, lifecycle, routes: [] }));
      expect(attempts).to.deep.equal([1, 2, 3]);
      const retries = log.entries().filter((e) => e.event === 'startup_hook_retrying');
      expect(retries.map((e) => [e.level, e.attempt, e.reason, e.code])).to.deep.equal([
        ['warn', 1, 'connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'],
        ['warn', 2, 'connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'],
      ]);
      for (const entry of retries) expect(entry.retry_in_ms).to.be.a('number').within(0, 40);
      expect(JSON.stringify(retries)).not.to.include('stack');
      expect((await get(`${url}/readyz`)).status).to.equal(200);
      await lifecycle.shutdown('test');
      expect(exits).to.deep.equal([0]);
    });

    it('shows the failing check in /readyz while it waits', async () => {
      const { lifecycle, log } = harness();
      let up = false;
      lifecycle.health.addCheck('database', () => {
        if (!up) throw new Error('not connected');
      });
      lifecycle.addStartupHook(
        'store',
        () => {
          if (!up) throw refused();
        },
        { retry: { initialDelayMs: 20, maxDelayMs: 20 } },
      );
      const starting = lifecycle.start(createServiceApp({ config, logger: log.logger, lifecycle, routes: [] }));
      const listening = await waitForEntry(log, 'startup_hook_retrying');
      const url = String(log.entries().find((e) => e.event === 'server_listening')?.url);
      const during = await get(`${url}/readyz`);
      expect(during.status).to.equal(503);
      expect(JSON.parse(during.body)).to.deep.include({ status: 'not_ready', reason: 'starting' });
      expect(JSON.parse(during.body).checks.database.status).to.equal('error');
      expect((await get(`${url}/healthz`)).status).to.equal(200);
      expect(listening.level).to.equal('warn');
      up = true;
      await starting;
      expect((await get(`${url}/readyz`)).status).to.equal(200);
      await lifecycle.shutdown('test');
    });

    it('ends startup (exit 1) on a failure that retryIf does not accept', async () => {
      const { lifecycle, exits, events } = harness();
      lifecycle.addStartupHook(
        'store',
        () => {
          throw new Error('password authentication failed');
        },
        { retry: { retryIf: (error) => (error as { code?: unknown }).code === 'ECONNREFUSED' } },
      );
      let thrown: unknown;
      await lifecycle
        .start(createServiceApp({ config, logger: captureLogger().logger, routes: [] }))
        .catch((error: unknown) => (thrown = error));
      expect(String(thrown)).to.include('password authentication failed');
      expect(exits).to.deep.equal([1]);
      expect(events()).to.include('startup_failed');
      expect(events()).not.to.include('startup_hook_retrying');
    });

    it('gives up after maxAttempts', async () => {
      const { lifecycle, exits } = harness();
      let tries = 0;
      lifecycle.addStartupHook(
        'store',
        () => {
          tries += 1;
          throw refused();
        },
        { retry: { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 } },
      );
      await lifecycle
        .start(createServiceApp({ config, logger: captureLogger().logger, routes: [] }))
        .catch(() => undefined);
      expect(tries).to.equal(3);
      expect(exits).to.deep.equal([1]);
    });

    it('stops waiting at once when shutdown begins, and runs the shutdown hooks after the try in progress', async () => {
      const { lifecycle, exits, events, log } = harness();
      lifecycle.addStartupHook(
        'store',
        () => {
          throw refused();
        },
        { retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } },
      );
      lifecycle.addShutdownHook('store', () => undefined);
      const starting = lifecycle.start(createServiceApp({ config, logger: log.logger, lifecycle, routes: [] }));
      await waitForEntry(log, 'startup_hook_retrying');
      const before = Date.now();
      expect(await lifecycle.shutdown('SIGTERM')).to.equal(0);
      await starting;
      expect(Date.now() - before).to.be.below(2000);
      expect(exits).to.deep.equal([0]);
      expect(events()).to.include('shutdown_hook_finished:store');
      expect(events()).not.to.include('startup_failed');
      expect(events()).not.to.include('service_ready');
    });

    it('hands the hook a signal that aborts when shutdown begins', async () => {
      const { lifecycle, log } = harness();
      let seen: AbortSignal | undefined;
      lifecycle.addStartupHook('warm_up', ({ signal }) => {
        seen = signal;
        return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      });
      const starting = lifecycle.start(createServiceApp({ config, logger: log.logger, lifecycle, routes: [] }));
      await waitForEntry(log, 'startup_hook_started');
      await lifecycle.shutdown('SIGTERM');
      await starting;
      expect(seen?.aborted).to.equal(true);
    });
  });

  it('flushes error reporting before it exits', async () => {
    const flushed: number[] = [];
    const { lifecycle, log } = harness({
      observability: {
        captureException: () => undefined,
        flush: (ms = 0) => (flushed.push(ms), Promise.resolve(true)),
      },
      flushTimeoutMs: 1500,
    });
    await lifecycle.shutdown('test');
    expect(flushed).to.deep.equal([1500]);
    expect(log.entries().at(-1)).to.include({ event: 'shutdown_complete', sentry_flushed: true });
  });
});
