import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalSessionToken, ensureLocalSigningKey } from '@org/platform/auth';
import { LOCAL_AUTH_DIR } from '../../src/local-data.js';
import { DATABASE_TARGETS } from '../fixtures/databases.js';
import { createScratchDatabase, serverAddress, type ScratchDatabase } from '../fixtures/scratch-database.js';
import { startServiceProcess, type ServiceProcess } from '../fixtures/service-process.js';
import { startTcpProxy, type TcpProxy } from '../fixtures/tcp-proxy.js';

interface Answer {
  readonly status: number;
  readonly code?: string;
  /** From sending the request to its answer. */
  readonly ms: number;
}

async function timed(url: string, init: RequestInit = {}): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  const code = text.startsWith('{') ? ((JSON.parse(text) as { code?: string }).code ?? undefined) : undefined;
  return { status: res.status, ...(code === undefined ? {} : { code }), ms: Date.now() - started };
}

if (DATABASE_TARGETS.includes('postgres')) {
  describe('faults: a PostgreSQL that stops answering (the built service, a real server behind a proxy that holds every byte)', function () {
    this.timeout(45_000);
    let scratch: ScratchDatabase;
    let proxy: TcpProxy;
    let service: ServiceProcess | undefined;
    let dataDir: string;

    beforeEach(async () => {
      scratch = await createScratchDatabase('stall');
      proxy = await startTcpProxy(serverAddress());
      dataDir = mkdtempSync(join(tmpdir(), 'entities-stall-'));
    });
    afterEach(async () => {
      service?.child.kill('SIGKILL');
      proxy.release();
      await proxy.close();
      await scratch.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('answers every affected request 503 DATABASE_UNAVAILABLE within 8 s, turns /readyz red within its timeout, keeps /healthz 200, and recovers by itself', async () => {
      // The defaults on purpose (DATABASE_TIMEOUT_MS 5 s, READINESS_TIMEOUT_MS 2 s): they are what the contract's 8 s bound is about.
      service = await startServiceProcess(dataDir, { DATABASE_URL: scratch.via(proxy.port) });
      const { url } = service;
      const auth = {
        Authorization: `Bearer ${createLocalSessionToken(ensureLocalSigningKey(LOCAL_AUTH_DIR), { userId: 'user_stall' })}`,
      };
      const json = { ...auth, 'Content-Type': 'application/json' };
      const created = await timed(`${url}/api/v1/entities`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ title: 'before the stall' }),
      });
      expect(created.status).to.equal(201);

      proxy.hold();
      // More requests than the pool has connections (10): some wait for a connection, some for an answer.
      const affected = Promise.all(
        Array.from({ length: 14 }, (_, i) =>
          i % 2 === 0
            ? timed(`${url}/api/v1/entities`, { headers: auth })
            : timed(`${url}/api/v1/entities`, {
                method: 'POST',
                headers: json,
                body: JSON.stringify({ title: `during ${i}` }),
              }),
        ),
      );
      const liveness = await timed(`${url}/healthz`);
      const readiness = await timed(`${url}/readyz`);
      const answers = await affected;

      expect(liveness).to.include({ status: 200 });
      expect(liveness.ms).to.be.below(1000);
      expect(readiness).to.include({ status: 503 });
      expect(readiness.ms, 'readiness answers within its check timeout').to.be.below(3000);
      for (const answer of answers) {
        expect(answer).to.include({ status: 503, code: 'DATABASE_UNAVAILABLE' });
        expect(answer.ms, 'within 8 s of its arrival').to.be.below(8000);
      }

      proxy.release();
      let recovered: Answer | undefined;
      for (let i = 0; i < 40; i += 1) {
        recovered = await timed(`${url}/readyz`);
        if (recovered.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(recovered?.status, 'ready again without a restart').to.equal(200);
      const list = await fetch(`${url}/api/v1/entities`, { headers: auth });
      expect(list.status).to.equal(200);
      const titles = ((await list.json()) as { data: { title: string }[] }).data.map((e) => e.title);
      expect(titles).to.include('before the stall');
    });

    it('logs a broken pooled connection without the id of the request that happened to open it', async () => {
      service = await startServiceProcess(dataDir, { DATABASE_URL: scratch.url });
      const auth = {
        Authorization: `Bearer ${createLocalSessionToken(ensureLocalSigningKey(LOCAL_AUTH_DIR), { userId: 'user_idle' })}`,
      };
      // A request opens a pooled connection, which stays idle in the pool after it.
      expect((await fetch(`${service.url}/api/v1/entities`, { headers: auth })).status).to.equal(200);
      await scratch.admin(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [scratch.name],
      );
      const line = await service.waitFor('database_connection_error', 10_000);
      expect(line).not.to.have.property('request_id');
      expect(line).not.to.have.property('correlation_id');
      expect(line.level).to.equal('warn');
    });
  });
}
