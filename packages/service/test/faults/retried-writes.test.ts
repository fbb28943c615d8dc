// Issue 25, with real processes: the built service restarted between a request and its repeat,
// the platform's HTTP client retrying through a TCP proxy that drops the answer after the commit,
// and the process killed (SIGKILL, through a fault hook only tests reach) at every step between
// the claim of a key and the answer, on PGlite and on PostgreSQL. One service process per
// database is shared by the tests of this file; only the faults need processes of their own.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpClient } from '@org/platform';
import { createLocalSessionToken, ensureLocalSigningKey } from '@org/platform/auth';
import { type IdempotencyFaultPoint } from '@org/platform/testing';
import { LOCAL_AUTH_DIR } from '../../src/local-data.js';
import { captureLog } from '../fixtures/app.js';
import { createScratchDatabase, type ScratchDatabase } from '../fixtures/scratch-database.js';
import { startNodeService, type ServiceProcess } from '../fixtures/service-process.js';
import { startTcpProxy } from '../fixtures/tcp-proxy.js';

const serviceDir = fileURLToPath(new URL('../..', import.meta.url));
const USER = 'user_retried_writes';
const auth = {
  Authorization: `Bearer ${createLocalSessionToken(ensureLocalSigningKey(LOCAL_AUTH_DIR), { userId: USER })}`,
};
let keys = 0;
const freshKey = (): string => `process-key-${process.pid}-${++keys}`;

/** The store's environment: a PGlite folder, or a PostgreSQL database (never CI's DATABASE_URL by accident). */
type StoreEnv = Record<string, string>;

function post(url: string, key: string, title: string): Promise<Response> {
  return fetch(`${url}/api/v1/entities`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body: JSON.stringify({ title }),
  });
}

async function titled(url: string, title: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/entities?limit=100`, { headers: auth });
  const page = (await res.json()) as { data: { title: string }[] };
  return page.data.filter((entity) => entity.title === title).length;
}

async function stop(service: ServiceProcess | undefined): Promise<void> {
  if (service === undefined || service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill('SIGTERM');
  await service.exited;
}

/** Starts the service with a fault at `point`, sends one keyed create, and waits for the process to die there. */
async function crashAt(point: IdempotencyFaultPoint, env: StoreEnv, key: string, title: string): Promise<void> {
  const faulty = await startNodeService({
    cwd: serviceDir,
    script: 'test/fixtures/faulty-main.mjs',
    env: { ...baseEnv(env), IDEMPOTENCY_FAULT_AT: point },
  });
  const answer = await post(faulty.url, key, title).then(
    (res) => `answered ${res.status}`,
    () => 'no answer',
  );
  expect(answer, `the process dies at ${point} before answering`).to.equal('no answer');
  expect(faulty.child.signalCode ?? (await faulty.exited.then(() => faulty.child.signalCode))).to.equal('SIGKILL');
}

function baseEnv(env: StoreEnv): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_FORMAT: 'json',
    ENVIRONMENT: 'local',
    SENTRY_DSN: '',
    DATABASE_URL: '',
    SUPABASE_URL: '',
    SUPABASE_SERVICE_KEY: '',
    SHUTDOWN_DELAY_MS: '0',
    ...env,
  };
}

function suite(
  name: string,
  open: () => Promise<{
    env: StoreEnv;
    rows: (sql: string, params: unknown[]) => Promise<number>;
    close: () => Promise<void>;
  }>,
  crashPoints: readonly IdempotencyFaultPoint[],
): void {
  describe(`retried writes with real processes on ${name}`, function () {
    this.timeout(120_000);
    let store: Awaited<ReturnType<typeof open>>;
    let service: ServiceProcess | undefined;
    const start = async (): Promise<ServiceProcess> =>
      (service = await startNodeService({ cwd: serviceDir, env: baseEnv(store.env) }));

    before(async () => {
      store = await open();
      await start();
    });
    after(async () => {
      await stop(service);
      await store.close();
    });

    it('when the service restarts between a create and its repeat, then the key survives: the repeat is the recorded answer', async () => {
      const key = freshKey();
      const first = await post(service!.url, key, 'Across a restart');
      expect(first.status).to.equal(201);
      const firstBody = await first.text();
      await stop(service);
      await start();
      const again = await post(service!.url, key, 'Across a restart');
      expect(again.status).to.equal(201);
      expect(again.headers.get('idempotent-replayed')).to.equal('true');
      expect(await again.text()).to.equal(firstBody);
      expect(await titled(service!.url, 'Across a restart')).to.equal(1);
    });

    it("when the answer to the platform client's create is lost after the commit, then its retry gets the entity and exactly one exists", async () => {
      const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(service!.url).port) });
      const log = captureLog();
      const client = createHttpClient({
        baseUrl: `http://127.0.0.1:${proxy.port}`,
        logger: log.logger,
        service: 'entities-service',
        retry: { baseDelayMs: 20 },
      });
      try {
        const dropped = proxy.dropNextAnswer();
        const res = await client.post<{ id: string; title: string }>('/api/v1/entities', {
          json: { title: 'Lost answer' },
          headers: auth,
          idempotencyKey: true,
        });
        await dropped;
        expect(res.status).to.equal(201);
        expect(res.attempts).to.equal(2);
        expect(res.headers['idempotent-replayed']).to.equal('true');
        expect(res.body.title).to.equal('Lost answer');
        expect(await titled(service!.url, 'Lost answer')).to.equal(1);
        const line = JSON.parse(
          log
            .text()
            .trim()
            .split('\n')
            .find((l) => l.includes('http_client_call'))!,
        ) as Record<string, unknown>;
        expect(line).to.include({ attempts: 2, status: 201 });
        expect(line.idempotency_key).to.match(/^[0-9a-f-]{36}$/);
      } finally {
        await client.close();
        await proxy.close();
      }
    });

    for (const point of crashPoints) {
      // The record and the write it describes are one statement, committed by `record()`.
      const committed = point === 'recorded' || point === 'committed';
      it(`when the process is killed at "${point}" (${committed ? 'after the commit, before the answer' : 'before the commit'}), then ${committed ? 'the entity and its record are both there, and the retry is their replay' : 'neither the entity nor a record is left, and the retry creates it once'}`, async () => {
        const key = freshKey();
        const title = `Crash at ${point}`;
        await stop(service);
        await crashAt(point, store.env, key, title);
        expect(await store.rows('select count(*)::int as n from public.entities where title = $1', [title])).to.equal(
          committed ? 1 : 0,
        );
        expect(
          await store.rows('select count(*)::int as n from public.idempotency_keys where key = $1', [key]),
        ).to.equal(committed ? 1 : 0);
        await start();
        const retried = await post(service!.url, key, title);
        expect(retried.status).to.equal(201);
        expect(retried.headers.get('idempotent-replayed')).to.equal(committed ? 'true' : null);
        expect(await titled(service!.url, title)).to.equal(1);
      });
    }
  });
}

// PGlite: one process per folder, so the rows are read with a client of the test's own while no
// service runs; a SIGKILLed holder's folder lock takes a few seconds to go stale, so one crash point.
suite(
  'PGlite',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'entities-retried-'));
    const dataDir = join(dir, 'pglite');
    return Promise.resolve({
      env: { PGLITE_DIR: dataDir },
      // Read with a service of its own (the folder admits one process), then stopped.
      rows: async (sql, params) => {
        const { createPgliteClient } = await import('../../src/db/pglite-client.js');
        const db = await createPgliteClient({ dataDir });
        try {
          const [row] = await db.query<{ n: number }>(sql, params);
          return Number(row?.n ?? 0);
        } finally {
          await db.close();
        }
      },
      close: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    });
  },
  ['handled'],
);

if (process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '') {
  let scratch: ScratchDatabase;
  suite(
    'PostgreSQL',
    async () => {
      scratch = await createScratchDatabase('entities_retried');
      return {
        env: { DATABASE_URL: scratch.url },
        rows: async (sql, params) => {
          const pg = (await import('pg')).default;
          const client = new pg.Client({ connectionString: scratch.url });
          await client.connect();
          try {
            return Number((await client.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0);
          } finally {
            await client.end();
          }
        },
        close: () => scratch.drop(),
      };
    },
    ['claimed', 'handled', 'recorded', 'committed'],
  );
}
