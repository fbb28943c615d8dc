import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { SqlQueryable } from '../../src/db/index.js';
import { listMigrations } from '../../src/db/index.js';
import { createSqlEntityRepository } from '../../src/entities/index.js';
import { DATABASE_TARGETS, MIGRATIONS_DIR, testDatabase, type TestDatabase } from '../fixtures/databases.js';

const COUNTS_MIGRATION = listMigrations(MIGRATIONS_DIR).find((migration) => migration.name === 'entity_owner_counts')!;

// The per-owner count the listing reads instead of count(*): kept exact by the migration's
// triggers through every kind of write, recomputed when the migration is applied again.
for (const target of DATABASE_TARGETS) {
  describe(`entity owner counts on ${target}`, () => {
    let database: TestDatabase;

    before(() => {
      database = testDatabase(target);
    });
    beforeEach(() => database.reset());

    async function counts(on: SqlQueryable = database.db): Promise<Record<string, number>> {
      const rows = await on.query<{ owner_id: string; total: number }>(
        'select owner_id, total::int as total from public.entity_owner_counts where total > 0 order by owner_id',
      );
      return Object.fromEntries(rows.map((row) => [row.owner_id, row.total]));
    }

    async function truth(): Promise<Record<string, number>> {
      const rows = await database.db.query<{ owner_id: string; total: number }>(
        'select owner_id, count(*)::int as total from public.entities group by owner_id order by owner_id',
      );
      return Object.fromEntries(rows.map((row) => [row.owner_id, row.total]));
    }

    it('follows every write: single and bulk inserts and deletes, an owner change, truncate', async () => {
      const { db } = database;
      const repository = createSqlEntityRepository(db);
      const made = [];
      for (let i = 0; i < 3; i++) made.push(await repository.create('user_a', { title: `a${i}`, description: null }));
      await repository.create('user_b', { title: 'b', description: null });
      expect(await counts()).to.deep.equal({ user_a: 3, user_b: 1 });

      await db.query(
        "insert into public.entities (title, owner_id) select 'bulk ' || i, case when i % 3 = 0 then 'user_b' else 'user_c' end from generate_series(1, 900) i",
      );
      expect(await counts()).to.deep.equal({ user_a: 3, user_b: 301, user_c: 600 });

      expect(await repository.delete('user_a', made[0]!.entity.id)).to.equal('deleted');
      expect(await repository.delete('user_b', made[1]!.entity.id)).to.equal('not_found');
      await db.query("delete from public.entities where owner_id = 'user_c' and title like 'bulk 1%'");
      await db.query("update public.entities set owner_id = 'user_d' where id = $1", [made[2]!.entity.id]);
      await db.query("update public.entities set title = 'renamed' where owner_id = 'user_b'");
      expect(await counts()).to.deep.equal(await truth());
      expect(await counts()).to.include({ user_a: 1, user_d: 1, user_b: 301 });

      await db.exec('truncate public.entities');
      expect(await counts()).to.deep.equal({});
      expect((await repository.list('user_b', { limit: 20, offset: 0 })).count).to.equal(0);
    });

    it('keeps no count of a write that rolled back', async () => {
      const { db } = database;
      await db
        .transaction(async (tx) => {
          await tx.query("insert into public.entities (title, owner_id) values ('gone', 'user_a')");
          expect(await counts(tx)).to.deep.equal({ user_a: 1 });
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(await counts()).to.deep.equal({});
    });

    it('applied again, recomputes every count from the rows and counts each later write once', async () => {
      const { db } = database;
      await db.query("insert into public.entities (title, owner_id) select 'x', 'user_a' from generate_series(1, 5)");
      // Rows written while the triggers were off (as before the migration existed) are not counted...
      await db.exec('alter table public.entities disable trigger user');
      await db.query("insert into public.entities (title, owner_id) select 'y', 'user_b' from generate_series(1, 7)");
      await db.query(
        "delete from public.entities where owner_id = 'user_a' and ctid in (select ctid from public.entities where owner_id = 'user_a' limit 2)",
      );
      await db.exec('alter table public.entities enable trigger user');
      expect(await counts()).to.deep.equal({ user_a: 5 });
      // ...until the migration runs again: it is idempotent, and sets every count to the truth.
      const script = readFileSync(COUNTS_MIGRATION.file, 'utf8');
      await db.transaction((tx) => tx.exec(script));
      await db.transaction((tx) => tx.exec(script));
      expect(await counts()).to.deep.equal({ user_a: 3, user_b: 7 });
      await db.query("insert into public.entities (title, owner_id) values ('z', 'user_b')");
      expect(await counts()).to.deep.equal({ user_a: 3, user_b: 8 });
    });

    it('counts the inserts of a signed-in user (role authenticated), who reads only their own count', async () => {
      const { db } = database;
      await db.query("insert into public.entities (title, owner_id) values ('theirs', 'user_bob')");
      const seen = await db.transaction(async (tx) => {
        await tx.query("select set_config('request.jwt.claims', $1, true)", [
          JSON.stringify({ sub: 'user_alice', role: 'authenticated' }),
        ]);
        await tx.exec('set local role authenticated');
        await tx.query("insert into public.entities (title, owner_id) values ('mine', 'user_alice')");
        let writeError: unknown;
        await tx.exec('savepoint write_counts');
        await tx
          .query("update public.entity_owner_counts set total = 100 where owner_id = 'user_alice'")
          .catch((error: unknown) => {
            writeError = error;
          });
        await tx.exec('rollback to savepoint write_counts');
        expect(writeError).to.have.property('code', '42501');
        return tx.query<{ owner_id: string; total: number }>(
          'select owner_id, total::int as total from public.entity_owner_counts',
        );
      });
      expect(seen).to.deep.equal([{ owner_id: 'user_alice', total: 1 }]);
      const anonymous = await db
        .transaction(async (tx) => {
          await tx.exec('set local role anon');
          return tx.query('select owner_id from public.entity_owner_counts');
        })
        .catch((error: unknown) => error);
      expect(anonymous).to.have.property('code', '42501');
      expect(await counts()).to.deep.equal({ user_alice: 1, user_bob: 1 });
    });
  });
}
