import { expect } from 'chai';
import { createPgClient, isSqlUnavailableError, type SqlClient } from '../../src/db/index.js';
import { DATABASE_TARGETS } from '../fixtures/databases.js';
import { createScratchDatabase, serverAddress, type ScratchDatabase } from '../fixtures/scratch-database.js';
import { startTcpProxy, type TcpProxy } from '../fixtures/tcp-proxy.js';

async function failure(work: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await work;
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected the call to fail');
}

if (DATABASE_TARGETS.includes('postgres')) {
  describe('createPgClient: the client-side deadline (a real PostgreSQL behind a proxy that stalls)', function () {
    this.timeout(20_000);
    let scratch: ScratchDatabase;
    let proxy: TcpProxy;
    let db: SqlClient;

    beforeEach(async () => {
      scratch = await createScratchDatabase('pg_deadline');
      proxy = await startTcpProxy(serverAddress());
      db = createPgClient({ connectionString: scratch.via(proxy.port), timeoutMs: 500, max: 2 });
    });
    afterEach(async () => {
      proxy.release();
      await db.close();
      await proxy.close();
      await scratch.drop();
    });

    it('fails a statement the server never answers as unavailable at the deadline, and destroys its connection', async () => {
      expect(await db.query('select 1 as one')).to.deep.equal([{ one: 1 }]);
      proxy.hold();
      const { error, ms } = await failure(db.query('select 2 as two'));
      expect(isSqlUnavailableError(error), String(error)).to.equal(true);
      expect(error).to.have.property('name', 'DatabaseDeadlineError');
      expect(ms).to.be.within(450, 1500);
      // The connection was destroyed by the client, not handed back to the pool.
      for (let i = 0; i < 50 && proxy.closedByClientWhileHeld === 0; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(proxy.closedByClientWhileHeld).to.equal(1);
      proxy.release();
      // A new connection answers the new statement: nothing left over from the one that timed out.
      expect(await db.query('select 3 as three')).to.deep.equal([{ three: 3 }]);
    });

    it('bounds waiting for a new connection and for a free one in a full pool', async () => {
      proxy.hold();
      // Two new connections that never finish their handshake, and two callers queued behind them.
      const outcomes = await Promise.all([1, 2, 3, 4].map((n) => failure(db.query(`select ${n} as n`))));
      for (const { error, ms } of outcomes) {
        expect(isSqlUnavailableError(error), String(error)).to.equal(true);
        expect(ms).to.be.below(1500);
      }
      proxy.release();
      expect(await db.query('select 5 as n')).to.deep.equal([{ n: 5 }]);
    });

    it('gives each statement of a transaction the deadline, and a stalled one fails the transaction as unavailable', async () => {
      await db.exec('create table t (n int)');
      const { error } = await failure(
        db.transaction(async (tx) => {
          await tx.query('insert into t values (1)');
          proxy.hold();
          await tx.query('insert into t values (2)');
        }),
      );
      expect(isSqlUnavailableError(error), String(error)).to.equal(true);
      proxy.release();
      // The server rolls the transaction back once the client connection is gone.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await db.query('select count(*)::int as n from t')).to.deep.equal([{ n: 0 }]);
    });
  });
}
