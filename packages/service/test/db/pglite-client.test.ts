// PGlite runs in a worker thread: the client must behave as in-process PGlite did (order,
// transactions, errors, close) while the event loop stays free during the first initialisation.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteClient, isSqlUnavailableError, type SqlClient } from '../../src/db/index.js';
import { startServiceProcess, type ServiceProcess } from '../fixtures/service-process.js';

describe('PGlite in a worker thread', function () {
  this.timeout(120_000);
  let db: SqlClient;
  before(async () => {
    db = await createPgliteClient();
    await db.exec('create table item (id int primary key, label text not null)');
  });
  after(() => db.close());

  it('returns rows with their types (timestamptz as Date, int as number)', async () => {
    const [row] = await db.query<{ one: number; at: Date; list: number[] }>(
      'select 1 as one, now() as at, $1::int[] as list',
      [[1, 2]],
    );
    expect(row!.one).to.equal(1);
    expect(row!.at).to.be.instanceOf(Date);
    expect(row!.list).to.deep.equal([1, 2]);
  });

  it('surfaces a failed statement as in-process PGlite does: name, message and SQLSTATE code', async () => {
    await db.query('insert into item values (1, $1)', ['first']);
    const error = (await db.query('insert into item values (1, $1)', ['again']).catch((e: unknown) => e)) as Error & {
      code?: string;
      table?: string;
    };
    expect(error).to.be.instanceOf(Error);
    expect(error.code).to.equal('23505');
    expect(error.message).to.match(/duplicate key/);
    expect(error.table).to.equal('item');
    expect(isSqlUnavailableError(error)).to.equal(false);
  });

  it('holds other statements while a transaction is open, and they see what it committed', async () => {
    const order: string[] = [];
    let outside: Promise<unknown> | undefined;
    await db.transaction(async (tx) => {
      await tx.query('insert into item values (2, $1)', ['in transaction']);
      outside = db
        .query<{ n: number }>('select count(*)::int as n from item where id = 2')
        .then((rows) => order.push(`outside saw ${rows[0]!.n}`));
      await new Promise((resolve) => setTimeout(resolve, 100));
      order.push('transaction still open');
    });
    await outside;
    expect(order).to.deep.equal(['transaction still open', 'outside saw 1']);
  });

  it('rolls back when the work throws, and rethrows its error', async () => {
    const error = await db
      .transaction(async (tx) => {
        await tx.query('insert into item values (3, $1)', ['rolled back']);
        throw new Error('work failed');
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).to.equal('work failed');
    expect(await db.query('select * from item where id = 3')).to.deep.equal([]);
    // The client is usable afterwards.
    expect(await db.query<{ n: number }>('select count(*)::int as n from item')).to.deep.equal([{ n: 2 }]);
  });

  it('fails every call as unavailable after close, and closes once', async () => {
    const other = await createPgliteClient();
    await Promise.all([other.close(), other.close()]);
    const error = await other.query('select 1').catch((e: unknown) => e);
    expect(isSqlUnavailableError(error)).to.equal(true);
  });

  describe('the first initialisation of a data folder, in the service (a real process)', () => {
    let dir: string;
    let service: ServiceProcess | undefined;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'pglite-first-init-'));
    });
    after(async () => {
      service?.child.kill('SIGTERM');
      await service?.exited;
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${join(dir, 'pglite')}.lock`, { recursive: true, force: true });
    });

    it('answers /healthz at every moment until the store is ready, never waiting on its initialisation', async () => {
      service = await startServiceProcess(join(dir, 'pglite'), {}, 'server_listening');
      const latencies: number[] = [];
      while (!service.events.some((e) => e.event === 'service_ready')) {
        const started = performance.now();
        const res = await fetch(`${service.url}/healthz`);
        await res.arrayBuffer();
        expect(res.status).to.equal(200);
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      // The store took seconds to initialise (so the probes covered it), and no probe waited on it:
      // initialised on the event loop, one probe would wait about as long as the store took. The
      // bound is loose on purpose (a busy machine delays any probe by some hundreds of ms).
      const initMs = Number((await service.waitFor('startup_hook_finished')).duration_ms);
      expect(initMs).to.be.above(500);
      expect(latencies.length).to.be.above(10);
      expect(Math.max(...latencies), `slowest /healthz of ${latencies.length}`).to.be.below(Math.max(1000, initMs / 2));
    });
  });
});
