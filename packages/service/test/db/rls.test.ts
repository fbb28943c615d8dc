import { expect } from 'chai';
import type { SqlQueryable } from '../../src/db/index.js';
import { DATABASE_TARGETS, testDatabase, type TestDatabase } from '../fixtures/databases.js';

// The second wall: sessions as role `authenticated` (what Supabase runs a Clerk-token request as)
// only ever see and change rows whose owner_id is their token's `sub`, whatever they filter on.
for (const target of DATABASE_TARGETS) {
  describe(`entities row-level security on ${target}`, () => {
    let database: TestDatabase;
    let aliceId: string;

    before(() => {
      database = testDatabase(target);
    });
    beforeEach(async () => {
      await database.reset();
      const rows = await database.db.query<{ id: string }>(
        "insert into public.entities (title, owner_id) values ('alice''s', 'user_alice') returning id",
      );
      aliceId = rows[0]!.id;
    });

    /** Runs `work` in a transaction as role authenticated with the given `sub`, then rolls back nothing it did not do. */
    async function as<T>(sub: string, work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      return database.db.transaction(async (tx) => {
        await tx.query("select set_config('request.jwt.claims', $1, true)", [
          JSON.stringify({ sub, role: 'authenticated' }),
        ]);
        await tx.exec('set local role authenticated');
        return work(tx);
      });
    }

    it('shows another user none of the owner’s rows, even unfiltered', async () => {
      const rows = await as('user_bob', (tx) => tx.query('select id from public.entities'));
      expect(rows).to.deep.equal([]);
      const count = await as('user_bob', (tx) =>
        tx.query<{ n: number }>('select count(*)::int as n from public.entities where id = $1', [aliceId]),
      );
      expect(count[0]!.n).to.equal(0);
    });

    it('lets another user update and delete nothing', async () => {
      const updated = await as('user_bob', (tx) =>
        tx.query("update public.entities set title = 'stolen' returning id"),
      );
      const deleted = await as('user_bob', (tx) => tx.query('delete from public.entities returning id'));
      expect(updated).to.deep.equal([]);
      expect(deleted).to.deep.equal([]);
      const rows = await database.db.query<{ title: string }>('select title from public.entities where id = $1', [
        aliceId,
      ]);
      expect(rows).to.deep.equal([{ title: "alice's" }]);
    });

    it('refuses an insert or an update that hands a row to another owner', async () => {
      let insertError: unknown;
      await as('user_bob', (tx) =>
        tx.query("insert into public.entities (title, owner_id) values ('spoof', 'user_alice')"),
      ).catch((error: unknown) => {
        insertError = error;
      });
      expect(insertError).to.have.property('code', '42501');
      let updateError: unknown;
      await as('user_alice', (tx) =>
        tx.query("update public.entities set owner_id = 'user_bob' where id = $1", [aliceId]),
      ).catch((error: unknown) => {
        updateError = error;
      });
      expect(updateError).to.have.property('code', '42501');
    });

    it('lets the owner read and change their own rows', async () => {
      const rows = await as('user_alice', (tx) => tx.query<{ id: string }>('select id from public.entities'));
      expect(rows.map((r) => r.id)).to.deep.equal([aliceId]);
      const updated = await as('user_alice', (tx) =>
        tx.query("update public.entities set title = 'renamed' returning title"),
      );
      expect(updated).to.deep.equal([{ title: 'renamed' }]);
    });

    it('shows a session without claims nothing, and gives anon no access at all', async () => {
      const none = await database.db.transaction(async (tx) => {
        await tx.exec('set local role authenticated');
        return tx.query('select id from public.entities');
      });
      expect(none).to.deep.equal([]);
      let anonError: unknown;
      await database.db
        .transaction(async (tx) => {
          await tx.exec('set local role anon');
          return tx.query('select id from public.entities');
        })
        .catch((error: unknown) => {
          anonError = error;
        });
      expect(anonError).to.have.property('code', '42501');
    });
  });
}
