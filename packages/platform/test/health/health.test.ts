import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { createHealth } from '../../src/index.js';
import { captureLogger } from '../helpers.js';

describe('createHealth', () => {
  it('answers not_ready while starting, with the checks run to show what is missing, and logs no failure', async () => {
    let ran = 0;
    const log = captureLogger();
    const health = createHealth({ logger: log.logger });
    health.addCheck('db', () => {
      ran += 1;
      throw new Error('not connected yet');
    });
    health.addCheck('cache', () => undefined);
    const report = await health.check();
    expect(report).to.deep.include({ status: 'not_ready', reason: 'starting' });
    expect(report.checks.db).to.include({ status: 'error' });
    expect(report.checks.cache).to.include({ status: 'ok' });
    expect(ran).to.equal(1);
    expect(log.entries().filter((e) => e.event === 'readiness_check_failed')).to.deep.equal([]);
  });

  it('answers not_ready at once, without running checks, once stopping', async () => {
    let ran = 0;
    const health = createHealth({ ready: true });
    health.addCheck('db', () => {
      ran += 1;
    });
    health.markStopping();
    expect(await health.check()).to.deep.equal({ status: 'not_ready', reason: 'shutting_down', checks: {} });
    expect(ran).to.equal(0);
  });

  it('runs checks in parallel, each under its own timeout', async () => {
    const health = createHealth({ ready: true, defaultTimeoutMs: 60 });
    health.addCheck('fast', () => delay(5));
    health.addCheck('slow', () => delay(10_000, undefined, { ref: false }));
    health.addCheck('slow_but_allowed', () => delay(80), { timeoutMs: 500 });
    const started = Date.now();
    const report = await health.check();
    const took = Date.now() - started;
    expect(report.status).to.equal('not_ready');
    expect(report.checks.fast!.status).to.equal('ok');
    expect(report.checks.slow!.status).to.equal('error');
    expect(report.checks.slow!.duration_ms).to.be.within(55, 400);
    expect(report.checks.slow_but_allowed!.status).to.equal('ok');
    // In parallel: the whole run takes about as long as the slowest check, not the sum.
    expect(took).to.be.below(400);
  });

  it('aborts the signal of a check that timed out', async () => {
    const health = createHealth({ ready: true, defaultTimeoutMs: 20 });
    let aborted: unknown;
    health.addCheck(
      'hangs',
      (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
            resolve();
          }),
        ),
    );
    await health.check();
    expect(aborted).to.be.instanceOf(Error);
  });

  it('counts rejecting and synchronously throwing checks as errors and logs why', async () => {
    const log = captureLogger();
    const health = createHealth({ ready: true, logger: log.logger });
    health.addCheck('rejects', () => Promise.reject(new Error('connection refused')));
    health.addCheck('throws', () => {
      throw new Error('boom');
    });
    health.addCheck('ok', () => true);
    const report = await health.check();
    expect(report.status).to.equal('not_ready');
    expect(report.checks.rejects!.status).to.equal('error');
    expect(report.checks.throws!.status).to.equal('error');
    expect(report.checks.ok!.status).to.equal('ok');
    // The reason goes to the log, never into the unauthenticated response.
    expect(JSON.stringify(report)).not.to.include('refused');
    const failures = log.entries().filter((e) => e.event === 'readiness_check_failed');
    expect(failures.map((e) => e.check).sort()).to.deep.equal(['rejects', 'throws']);
    expect(log.text()).to.include('connection refused');
  });

  it('reports degraded when only non-critical checks fail', async () => {
    const health = createHealth({ ready: true, defaultTimeoutMs: 30 });
    health.addCheck('db', () => undefined);
    health.addCheck('cache', () => Promise.reject(new Error('down')), { critical: false });
    health.addCheck('search', () => delay(5000, undefined, { ref: false }), { critical: false });
    const report = await health.check();
    expect(report.status).to.equal('degraded');
    expect(report.checks.cache).to.include({ status: 'error', critical: false });
    expect(report.checks.search).to.include({ status: 'error', critical: false });
    expect(report.checks.db).to.deep.include({ status: 'ok' });
  });

  it('shares one run between concurrent callers', async () => {
    const health = createHealth({ ready: true });
    let runs = 0;
    health.addCheck('db', async () => {
      runs += 1;
      await delay(20);
    });
    await Promise.all([health.check(), health.check(), health.check()]);
    expect(runs).to.equal(1);
    await health.check();
    expect(runs).to.equal(2);
  });

  it('answers not_ready for good once stopping, even for a run in flight', async () => {
    const health = createHealth({ ready: true });
    health.addCheck('db', () => delay(30));
    const inFlight = health.check();
    health.markStopping();
    expect(await inFlight).to.deep.equal({ status: 'not_ready', reason: 'shutting_down', checks: {} });
    health.markReady();
    expect(health.phase).to.equal('stopping');
    expect((await health.check()).status).to.equal('not_ready');
  });

  it('refuses duplicate names, bad names and bad timeouts', () => {
    const health = createHealth();
    health.addCheck('db', () => undefined);
    expect(() => health.addCheck('db', () => undefined)).to.throw(/already registered/);
    expect(() => health.addCheck('Bad Name', () => undefined)).to.throw(/must match/);
    expect(() => health.addCheck('x', () => undefined, { timeoutMs: 0 })).to.throw(/positive/);
  });
});
