import { expect } from 'chai';
import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { startChild, stopChild, type ChildService } from './child-service.js';
import { get, type GetResult } from './http-get.js';

const SHUTDOWN_EVENTS = new Set([
  'shutdown_started',
  'server_closing',
  'server_closed',
  'shutdown_hook_started',
  'shutdown_hook_finished',
  'shutdown_complete',
]);

describe('createLifecycle (signals, in a real process)', function () {
  this.timeout(20_000);
  let child: ChildService | undefined;
  afterEach(() => stopChild(child));

  it('drains keep-alive traffic on SIGTERM with zero failed requests, in order, and exits 0', async () => {
    child = await startChild('graceful', { SHUTDOWN_DELAY_MS: '400' });
    const { url } = child;
    await child.waitFor('service_ready');
    const pool = new http.Agent({ keepAlive: true, maxSockets: 6 });
    const failures: unknown[] = [];
    let served = 0;
    let routing = true;
    const readiness: number[] = [];
    let livenessDuringDelay: number | undefined;

    async function worker(): Promise<void> {
      while (routing) {
        try {
          const res = await get(`${url}/slow?ms=20`, pool);
          if (res.status === 200) served += 1;
          else failures.push(res.status);
        } catch (error) {
          failures.push(error);
        }
      }
    }
    // The load balancer: polls readiness and stops routing new requests on the first 503.
    async function prober(): Promise<void> {
      for (;;) {
        const res = await get(`${url}/readyz`);
        readiness.push(res.status);
        if (res.status === 503) {
          livenessDuringDelay = (await get(`${url}/healthz`)).status;
          routing = false;
          return;
        }
        await delay(20);
      }
    }

    const workers = Array.from({ length: 6 }, worker);
    const probing = prober();
    while (served < 30) await delay(10);
    child.process.kill('SIGTERM');
    // Requests that arrive during the delay and are still running when the server stops accepting.
    const lateAgent = new http.Agent({ keepAlive: true });
    const late: Promise<GetResult>[] = [];
    await child.waitFor('shutdown_started');
    for (let i = 0; i < 3; i += 1) late.push(get(`${url}/slow?ms=700`, lateAgent));
    await Promise.all([...workers, probing]);
    const lateResults = await Promise.all(late);
    const code = await child.exited;
    pool.destroy();
    lateAgent.destroy();

    expect(failures, 'failed requests').to.deep.equal([]);
    expect(code).to.equal(0);
    expect(readiness[0]).to.equal(200);
    expect(readiness.at(-1)).to.equal(503);
    expect(livenessDuringDelay).to.equal(200);
    for (const res of lateResults) {
      expect(res.status).to.equal(200);
      expect(res.headers.connection).to.equal('close');
    }
    const steps = child.entries
      .filter((e) => SHUTDOWN_EVENTS.has(e.event))
      .map((e) => (typeof e.hook === 'string' ? `${e.event}:${e.hook}` : e.event));
    expect(steps).to.deep.equal([
      'shutdown_started',
      'server_closing',
      'server_closed',
      'shutdown_hook_started:second',
      'shutdown_hook_finished:second',
      'shutdown_hook_started:first',
      'shutdown_hook_finished:first',
      'shutdown_complete',
    ]);
    const started = Date.parse(String((await child.waitFor('shutdown_started')).timestamp));
    const closing = await child.waitFor('server_closing');
    expect(Date.parse(String(closing.timestamp)) - started).to.be.at.least(390);
    expect(closing.in_flight).to.equal(3);
    expect((await child.waitFor('shutdown_complete')).exit_code).to.equal(0);
  });

  it('does not shorten the drain when the signal comes again (a process-group kill, wrappers forwarding it)', async () => {
    child = await startChild('graceful', { SHUTDOWN_DELAY_MS: '800' });
    await child.waitFor('service_ready');
    // What systemd or a terminal's Ctrl-C and npm/pnpm/the workspace script deliver together.
    child.process.kill('SIGTERM');
    child.process.kill('SIGTERM');
    child.process.kill('SIGINT');
    await child.waitFor('shutdown_started');
    const inFlight = get(`${child.url}/slow?ms=400`);
    expect(await child.exited).to.equal(0);
    expect((await inFlight).status).to.equal(200);
    const started = Date.parse(String((await child.waitFor('shutdown_started')).timestamp));
    const closing = Date.parse(String((await child.waitFor('server_closing')).timestamp));
    expect(closing - started, 'the whole SHUTDOWN_DELAY_MS was served').to.be.at.least(790);
    // The kernel merges a signal that arrives while the same one is pending: one or two copies reach the handler.
    expect(child.entries.filter((e) => e.event === 'shutdown_signal_repeated')).to.have.length.within(1, 2);
    expect(child.entries.some((e) => e.event === 'shutdown_forced')).to.equal(false);
    expect((await child.waitFor('shutdown_complete')).exit_code).to.equal(0);
  });

  it('cuts requests that outlive SHUTDOWN_TIMEOUT_MS and exits 1', async () => {
    child = await startChild('plain', { SHUTDOWN_TIMEOUT_MS: '200' });
    const pending = get(`${child.url}/slow?ms=10000`).then(
      () => 'answered',
      () => 'cut',
    );
    await child.waitFor('slow_request_started');
    child.process.kill('SIGTERM');
    expect(await child.exited).to.equal(1);
    expect(await pending).to.equal('cut');
    expect((await child.waitFor('shutdown_deadline_exceeded')).cut_requests).to.equal(1);
    expect((await child.waitFor('shutdown_complete')).exit_code).to.equal(1);
  });

  it('exits 1 at once on a deliberate second SIGINT (a second after the first signal) while a shutdown hook hangs', async () => {
    child = await startChild('hanging-hook');
    child.process.kill('SIGTERM');
    await child.waitFor('shutdown_hook_started');
    await delay(1100);
    const before = Date.now();
    child.process.kill('SIGINT');
    expect(await child.exited).to.equal(1);
    expect(Date.now() - before).to.be.below(3000);
    expect((await child.waitFor('shutdown_forced')).signal).to.equal('SIGINT');
    expect(child.entries.some((e) => e.event === 'shutdown_complete')).to.equal(false);
  });

  it('logs an uncaught exception and exits 1', async () => {
    child = await startChild('plain');
    await get(`${child.url}/crash`);
    expect(await child.exited).to.equal(1);
    const entry = await child.waitFor('uncaught_exception');
    expect(entry.level).to.equal('error');
    expect(JSON.stringify(entry)).to.include('kaput outside any request');
  });

  it('logs an unhandled rejection and exits 1', async () => {
    child = await startChild('plain');
    await get(`${child.url}/reject`);
    expect(await child.exited).to.equal(1);
    expect(JSON.stringify(await child.waitFor('unhandled_rejection'))).to.include('nobody awaited this');
  });
});
