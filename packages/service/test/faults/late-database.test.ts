import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalSessionToken, ensureLocalSigningKey } from '@org/platform/auth';
import { listMigrations } from '../../src/db/index.js';
import { LOCAL_AUTH_DIR } from '../../src/local-data.js';
import { DATABASE_TARGETS, MIGRATIONS_DIR } from '../fixtures/databases.js';
import { createScratchDatabase, serverAddress, type ScratchDatabase } from '../fixtures/scratch-database.js';
import { startServiceProcess, type ServiceProcess } from '../fixtures/service-process.js';
import { startTcpProxy, type TcpProxy } from '../fixtures/tcp-proxy.js';

/** A port nothing listens on (yet): connections to it are refused. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

if (DATABASE_TARGETS.includes('postgres')) {
  describe('faults: the service starts before its database (the built service, a real PostgreSQL that comes up late)', function () {
    this.timeout(45_000);
    let scratch: ScratchDatabase;
    let proxy: TcpProxy | undefined;
    let service: ServiceProcess | undefined;
    let dataDir: string;

    beforeEach(async () => {
      scratch = await createScratchDatabase('late');
      dataDir = mkdtempSync(join(tmpdir(), 'entities-late-'));
    });
    afterEach(async () => {
      service?.child.kill('SIGKILL');
      await proxy?.close();
      await scratch.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('stays up (/healthz 200, /readyz 503 naming the database), retries with one warning per try, then migrates and becomes ready without a restart', async () => {
      const port = await freePort();
      service = await startServiceProcess(
        dataDir,
        { DATABASE_URL: scratch.via(port), LOG_LEVEL: 'debug' },
        'server_listening',
      );
      const { url } = service;
      while (service.events.filter((e) => e.event === 'startup_hook_retrying').length < 2)
        await new Promise((resolve) => setTimeout(resolve, 50));

      expect((await fetch(`${url}/healthz`)).status).to.equal(200);
      const waiting = await fetch(`${url}/readyz`);
      expect(waiting.status).to.equal(503);
      const report = (await waiting.json()) as {
        status: string;
        reason: string;
        checks: Record<string, { status: string }>;
      };
      expect(report).to.deep.include({ status: 'not_ready', reason: 'starting' });
      expect(report.checks.database).to.include({ status: 'error' });
      expect(service.child.exitCode, 'still running').to.equal(null);

      // The database comes up, on the port the service was told.
      proxy = await startTcpProxy(serverAddress(), port);
      await service.waitFor('service_ready', 20_000);
      expect((await fetch(`${url}/readyz`)).status).to.equal(200);
      expect(await service.waitFor('migrations_applied')).to.deep.include({
        applied: listMigrations(MIGRATIONS_DIR).map((migration) => migration.version),
      });
      const token = createLocalSessionToken(ensureLocalSigningKey(LOCAL_AUTH_DIR), { userId: 'user_late' });
      const created = await fetch(`${url}/api/v1/entities`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: 'after the wait' }),
      });
      expect(created.status).to.equal(201);

      const retries = service.events.filter((e) => e.event === 'startup_hook_retrying');
      expect(retries.length).to.be.at.least(2);
      for (const retry of retries) {
        expect(retry).to.include({ level: 'warn', hook: 'entity_store', code: 'ECONNREFUSED' });
        expect(JSON.stringify(retry)).not.to.include('stack');
        expect(JSON.stringify(retry), 'no connection string in the log').not.to.include(scratch.name);
      }
      // Readiness answering 503 while the service starts is a probe doing its job, not an error.
      expect(service.events.filter((e) => e.level === 'error')).to.deep.equal([]);
      expect(
        service.events.some(
          (e) =>
            e.event === 'request_completed' && e.path === '/readyz' && e.status_code === 503 && e.level === 'debug',
        ),
      ).to.equal(true);
    });

    it('stops waiting at once on SIGTERM and exits 0', async () => {
      const port = await freePort();
      service = await startServiceProcess(dataDir, { DATABASE_URL: scratch.via(port) }, 'server_listening');
      await service.waitFor('startup_hook_retrying');
      const before = Date.now();
      service.child.kill('SIGTERM');
      expect(await service.exited).to.equal(0);
      expect(Date.now() - before).to.be.below(3000);
    });

    it('does not wait for a database that refuses the service’s credentials: startup fails, exit 1', async () => {
      const bad = new URL(scratch.url);
      bad.username = 'no_such_role_here';
      const run = startServiceProcess(dataDir, { DATABASE_URL: bad.toString() }, 'server_listening');
      service = await run;
      expect(await service.exited).to.equal(1);
      expect(service.events.some((e) => e.event === 'startup_failed')).to.equal(true);
      expect(service.events.some((e) => e.event === 'startup_hook_retrying')).to.equal(false);
    });
  });
}
