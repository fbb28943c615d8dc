import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalSessionToken, ensureLocalSigningKey } from '@org/platform/auth';
import { LOCAL_AUTH_DIR } from '../../src/local-data.js';
import { startServiceProcess } from '../fixtures/service-process.js';
import { crudWorker, newCounts } from './crud-worker.js';

describe('soak: SIGTERM in the middle of concurrent CRUD (the built service, PGlite)', function () {
  this.timeout(120_000);

  it('drops no request: everything sent until the load balancer noticed (readiness 503) succeeds, exit 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'entities-soak-'));
    const { child, url, events, exited } = await startServiceProcess(dataDir, {
      LOG_LEVEL: 'info',
      SHUTDOWN_DELAY_MS: '1500',
    });
    try {
      const token = createLocalSessionToken(ensureLocalSigningKey(LOCAL_AUTH_DIR), { userId: 'user_sigterm' });
      const counts = newCounts();
      // A readiness poller plays the load balancer: once it sees 503 it takes the instance out,
      // and the workers (its clients) send nothing new. Until then they send as fast as they can,
      // through the whole SIGTERM → readiness 503 → still serving window.
      let removed = false;
      const workers = Array.from({ length: 6 }, () => crudWorker(url, `Bearer ${token}`, counts, () => removed));
      const readiness: number[] = [];
      const poller = (async () => {
        while (!removed) {
          const status = (await fetch(`${url}/readyz`)).status;
          readiness.push(status);
          if (status === 503) removed = true;
          else await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await new Promise((r) => setTimeout(r, 2000));
      const before = counts.requests;
      child.kill('SIGTERM');
      await poller;
      await Promise.all(workers);
      const code = await exited;
      process.stdout.write(
        `\n    ${counts.requests} requests (${counts.requests - before} after SIGTERM), readiness ${readiness.join(' ')}\n`,
      );
      expect(counts.wrongStatus, 'wrong statuses').to.deep.equal([]);
      expect(counts.dropped, 'accepted requests that got no answer').to.deep.equal([]);
      expect(counts.refused, 'refused connections').to.equal(0);
      expect(counts.requests - before, 'requests served after SIGTERM').to.be.above(0);
      expect(readiness, 'readiness went 503 while the server still served').to.include(503);
      expect(code).to.equal(0);
      const order = events
        .map((e) => e.event)
        .filter((e) =>
          ['shutdown_started', 'server_closing', 'server_closed', 'shutdown_complete'].includes(String(e)),
        );
      expect(order).to.deep.equal(['shutdown_started', 'server_closing', 'server_closed', 'shutdown_complete']);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
