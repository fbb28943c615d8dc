import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { createLifecycle, createServiceApp, loadConfig, type Lifecycle, type LifecycleOptions } from '../../src/index.js';
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
  const lifecycle = createLifecycle({ config, logger: log.logger, exit: (code) => exits.push(code), handleProcessEvents: false, ...options });
  return { lifecycle, log, exits, events: () => log.entries().map((e) => (typeof e.hook === 'string' ? `${String(e.event)}:${e.hook}` : String(e.event))) };
}

describe('createLifecycle', () => {
  it('keeps readiness at 503 (and liveness at 200) until the startup hooks finished', async () => {
    const { lifecycle, log, exits } = harness();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    lifecycle.addStartupHook('migrate', () => gate);
    const app = createServiceApp({ config, logger: log.logger, health: lifecycle.health, routes: [] });
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
    expect(JSON.parse(during.body)).to.deep.equal({ status: 'not_ready', reason: 'starting', checks: {} });
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

  it('exits 1 when the port is taken', async () => {
    const first = harness();
    const app = createServiceApp({ config, logger: captureLogger().logger, routes: [] });
    const { port } = await first.lifecycle.start(app);
    const second = createLifecycle({ config: { ...config, PORT: port }, logger: captureLogger().logger, exit: () => undefined, handleProcessEvents: false });
    let code: unknown;
    await second.start(app).catch((error: { code?: unknown }) => (code = error.code));
    expect(code).to.equal('EADDRINUSE');
    await first.lifecycle.shutdown('test');
  });

  it('flushes error reporting before it exits', async () => {
    const flushed: number[] = [];
    const { lifecycle, log } = harness({ observability: { captureException: () => undefined, flush: (ms = 0) => (flushed.push(ms), Promise.resolve(true)) }, flushTimeoutMs: 1500 });
    await lifecycle.shutdown('test');
    expect(flushed).to.deep.equal([1500]);
    expect(log.entries().at(-1)).to.include({ event: 'shutdown_complete', sentry_flushed: true });
  });
});
