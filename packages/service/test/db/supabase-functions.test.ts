// The functions of the migration that the Supabase store calls as RPCs (idempotency_claim,
// idempotency_complete, idempotency_release, idempotency_purge), run for real on PGlite and
// PostgreSQL: what the recorded PostgREST contract takes as given.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { DATABASE_TARGETS, testDatabase, type TestDatabase } from '../fixtures/databases.js';

const ROUTE = 'POST /api/v1/entities';

for (const target of DATABASE_TARGETS) {
  describe(`the idempotency functions of the migration on ${target}`, () => {
    let database: TestDatabase;
    before(() => {
      database = testDatabase(target);
    });
    beforeEach(() => database.reset());

    const claim = async (key: string, claimId: string, leaseSeconds = 30, ttlSeconds = 60) =>
      (
        await database.db.query<{ outcome: string; status: number | null; body: string | null }>(
          'select * from public.idempotency_claim($1, $2, $3, $4, $5, $6)',
          ['user_fn', ROUTE, key, claimId, leaseSeconds, ttlSeconds],
        )
      )[0]!;
    const complete = (key: string, claimId: string, entity: object | null) =>
      database.db.query('select public.idempotency_complete($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10::jsonb)', [
        'user_fn',
        ROUTE,
        key,
        claimId,
        'fp',
        201,
        JSON.stringify({ location: '/x' }),
        '{"id":1}',
        60,
        entity === null ? null : JSON.stringify(entity),
      ]);
    const count = async (sql: string) => Number((await database.db.query<{ n: number }>(sql))[0]!.n);
    const row = (title: string) => ({
      id: randomUUID(),
      title,
      description: null,
      owner_id: 'user_fn',
      created_at: '2026-12-06T10:00:00.000Z',
      updated_at: '2026-12-06T10:00:00.000Z',
    });

    it('claims a new key once: a second claim is in flight; the claim writes the entity and the record together; a later claim finds the record', async () => {
      const mine = randomUUID();
      expect((await claim('k', mine)).outcome).to.equal('claimed');
      expect((await claim('k', randomUUID())).outcome).to.equal('in_flight');
      await complete('k', mine, row('made once'));
      expect(await count("select count(*)::int as n from public.entities where title = 'made once'")).to.equal(1);
      expect(await claim('k', randomUUID())).to.deep.include({ outcome: 'recorded', status: 201, body: '{"id":1}' });
    });

    it('refuses to complete a claim it does not hold, and then writes nothing', async () => {
      await claim('k', randomUUID());
      let error: unknown;
      await complete('k', randomUUID(), row('never')).catch((e: unknown) => {
        error = e;
      });
      expect(error)
        .to.have.property('message')
        .that.matches(/claim on this idempotency key was lost/);
      expect(await count("select count(*)::int as n from public.entities where title = 'never'")).to.equal(0);
    });

    it('lets another request take over a claim whose lease ran out; the first then records nothing', async () => {
      const first = randomUUID();
      expect((await claim('k', first, 0)).outcome).to.equal('claimed');
      const second = randomUUID();
      expect((await claim('k', second)).outcome).to.equal('claimed');
      await complete('k', first, row('first')).catch(() => undefined);
      await complete('k', second, row('second'));
      expect(await count("select count(*)::int as n from public.entities where title in ('first', 'second')")).to.equal(
        1,
      );
    });

    it('releases a claim (a retry runs again), treats an expired record as absent, and purges expired rows only', async () => {
      const released = randomUUID();
      await claim('released', released);
      await database.db.query('select public.idempotency_release($1, $2, $3, $4)', [
        'user_fn',
        ROUTE,
        'released',
        released,
      ]);
      expect((await claim('released', randomUUID())).outcome).to.equal('claimed');
      const kept = randomUUID();
      await claim('expired', kept);
      await complete('expired', kept, null);
      await database.db.exec(
        "update public.idempotency_keys set expires_at = now() - interval '1 second' where key = 'expired'",
      );
      expect((await claim('expired', randomUUID())).outcome).to.equal('claimed');
      await database.db.exec(
        "update public.idempotency_keys set expires_at = now() - interval '1 second' where key = 'expired'",
      );
      expect(
        Number(
          (await database.db.query<{ purged: number }>('select public.idempotency_purge(10) as purged'))[0]!.purged,
        ),
      ).to.equal(1);
      expect(await count('select count(*)::int as n from public.idempotency_keys')).to.equal(1);
    });

    it("bumps an entity's version on every update, whoever makes it", async () => {
      const [made] = await database.db.query<{ id: string; version: string }>(
        "insert into public.entities (title, owner_id) values ('v', 'user_fn') returning id, version::text",
      );
      expect(made!.version).to.equal('1');
      await database.db.query("update public.entities set title = 'v2' where id = $1", [made!.id]);
      await database.db.query("update public.entities set version = 1, title = 'v3' where id = $1", [made!.id]);
      expect(
        (
          await database.db.query<{ version: string }>('select version::text from public.entities where id = $1', [
            made!.id,
          ])
        )[0]!.version,
      ).to.equal('3');
    });
  });
}
