// The README's `npm start`, stopped the way process managers and terminals stop it: a SIGTERM to
// its whole process group (systemd's default KillMode, Ctrl-C's SIGINT), or to npm alone (which
// exits at once and forwards nothing). Real npm, the real workspace script, the built service.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalSessionToken, ensureLocalSigningKey } from '@org/platform/auth';
import { LOCAL_AUTH_DIR } from '../src/local-data.js';
import { npmStart, type NpmStart } from './fixtures/npm-start.js';

/** A POST whose body is still arriving when the signal comes: a request the server has begun to read. */
function slowPost(
  url: string,
  token: string,
): { finish(): void; response: Promise<IncomingMessage & { text: string }> } {
  const body = JSON.stringify({ title: 'sent across the signal' });
  const req = request(`${url}/api/v1/entities`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    },
  });
  const response = new Promise<IncomingMessage & { text: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(Object.assign(res, { text })));
    });
    req.on('error', reject);
  });
  req.write(body.slice(0, 10));
  return { finish: () => req.end(body.slice(10)), response };
}

describe('npm start, stopped as process managers stop it (real npm, workspace script and service)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let started: NpmStart | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'entities-npm-start-'));
  });
  afterEach(() => {
    try {
      if (started?.npm.pid !== undefined) process.kill(-started.npm.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.lock`, { recursive: true, force: true });
    rmSync(`${dataDir}.lock-holder.json`, { force: true });
  });

  it('drains on a SIGTERM to the whole group: readiness 503 while liveness stays 200, no failed request for a client that follows readiness, the in-flight request answered, exit 0 without forcing', async () => {
    started = npmStart(dataDir);
    await started.waitFor('service_ready', 90_000);
    const url = String((await started.waitFor('server_listening')).url);
    const token = createLocalSessionToken(ensureLocalSigningKey(LOCAL_AUTH_DIR), { userId: 'user_npm_start' });

    // The load balancer and its clients: they send until readiness turns red, then send nothing new.
    let routing = true;
    const failures: unknown[] = [];
    let served = 0;
    const readiness: number[] = [];
    let livenessWhenRed: number | undefined;
    const clients = Array.from({ length: 4 }, async () => {
      while (routing) {
        try {
          const res = await fetch(`${url}/api/v1/entities?limit=5`, { headers: { Authorization: `Bearer ${token}` } });
          if (res.status === 200) served += 1;
          else failures.push(res.status);
          await res.arrayBuffer();
        } catch (error) {
          failures.push(error);
        }
      }
    });
    const balancer = (async () => {
      while (routing) {
        const status = (await fetch(`${url}/readyz`)).status;
        readiness.push(status);
        if (status === 503) {
          livenessWhenRed = (await fetch(`${url}/healthz`)).status;
          routing = false;
        } else {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    })();
    while (served < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    const inFlight = slowPost(url, token);

    process.kill(-started.npm.pid!, 'SIGTERM');
    await started.waitFor('shutdown_started');
    await new Promise((resolve) => setTimeout(resolve, 300));
    inFlight.finish();
    await Promise.all([...clients, balancer]);
    const answer = await inFlight.response;
    const complete = await started.waitFor('shutdown_complete', 30_000);
    await started.groupGone();

    expect(failures, 'failed requests').to.deep.equal([]);
    expect(readiness[0]).to.equal(200);
    expect(readiness.at(-1)).to.equal(503);
    expect(livenessWhenRed).to.equal(200);
    expect(answer.statusCode).to.equal(201);
    expect(answer.headers.connection).to.equal('close');
    expect(complete.exit_code).to.equal(0);
    expect(started.events.some((e) => e.event === 'shutdown_forced')).to.equal(false);
    const steps = started.events
      .map((e) => String(e.event))
      .filter((e) => ['shutdown_started', 'server_closing', 'server_closed', 'shutdown_complete'].includes(e));
    expect(steps).to.deep.equal(['shutdown_started', 'server_closing', 'server_closed', 'shutdown_complete']);
  });

  it('drains when only npm gets the SIGTERM (npm exits at once and forwards nothing): the workspace script notices and stops the service gracefully', async () => {
    started = npmStart(dataDir);
    await started.waitFor('service_ready', 90_000);
    const url = String((await started.waitFor('server_listening')).url);
    started.npm.kill('SIGTERM');
    const shutdown = await started.waitFor('shutdown_started', 10_000);
    expect(shutdown.reason).to.equal('SIGTERM');
    // Still serving, readiness red, during SHUTDOWN_DELAY_MS.
    expect((await fetch(`${url}/readyz`)).status).to.equal(503);
    expect((await fetch(`${url}/healthz`)).status).to.equal(200);
    expect((await started.waitFor('shutdown_complete', 30_000)).exit_code).to.equal(0);
    await started.groupGone();
  });
});
