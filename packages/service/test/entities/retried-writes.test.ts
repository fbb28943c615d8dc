// Issue 25: a retried create takes effect once, and a stale write is refused. The service's own
// stores on PGlite and PostgreSQL, a real HTTP server, real tokens; faults made in the database.
import { expect } from 'chai';
import request from 'supertest';
import { createIdempotency, createMetrics, type Idempotency } from '@org/platform';
import { createSqlEntityRepository } from '../../src/entities/index.js';
import { createSqlIdempotencyStore } from '../../src/idempotency/index.js';
import { as, buildApp, type CapturedLog } from '../fixtures/app.js';
import { DATABASE_TARGETS, testDatabase, type TestDatabase } from '../fixtures/databases.js';
import { listen, type RunningServer } from '../fixtures/http.js';

const BASE = '/api/v1/entities';
const ALICE = 'user_retry_alice';
const BOB = 'user_retry_bob';
let keys = 0;
const freshKey = (): string => `key-${process.pid}-${++keys}-${Date.now()}`;

for (const target of DATABASE_TARGETS) {
  describe(`retried writes and preconditions on ${target}`, () => {
    let database: TestDatabase;
    const servers: RunningServer[] = [];
    let server: RunningServer;
    let second: RunningServer;
    let idempotency: Idempotency;
    let log: CapturedLog;
    const created = (): number =>
      log
        .text()
        .split('\n')
        .filter((line) => line.includes('"entity_created"')).length;
    const api = () => request(server.url);

    before(async () => {
      database = testDatabase(target);
      const db = database.db;
      const store = createSqlIdempotencyStore(db);
      const built = buildApp(createSqlEntityRepository(db), {}, undefined, store);
      log = built.log;
      server = await listen(built.app);
      // A second app on the same database with its own protocol state: another process, as far as keys go.
      second = await listen(buildApp(createSqlEntityRepository(db), {}, undefined, store).app);
      servers.push(server, second);
      idempotency = createIdempotency({ store });
    });
    after(async () => {
      for (const running of servers) await running.close();
    });
    beforeEach(() => database.reset());

    async function countOf(owner: string): Promise<number> {
      const [row] = await database.db.query<{ n: number }>(
        'select count(*)::int as n from public.entities where owner_id = $1',
        [owner],
      );
      return row!.n;
    }
    async function recordsOf(owner: string): Promise<number> {
      const [row] = await database.db.query<{ n: number }>(
        'select count(*)::int as n from public.idempotency_keys where caller = $1',
        [owner],
      );
      return row!.n;
    }
    const create = (key: string, body: object, user = ALICE, on = server) =>
      request(on.url).post(BASE).set(as(user)).set('Idempotency-Key', key).send(body);

    describe('Idempotency-Key on POST /api/v1/entities', () => {
      it('when a create is repeated with its key, then the recorded answer comes back byte for byte, marked, and one entity exists', async () => {
        const key = freshKey();
        const logged = created();
        const first = await create(key, { title: 'Once', description: 'only once' }).expect(201);
        expect(first.headers['idempotent-replayed']).to.equal(undefined);
        expect(first.headers.etag).to.equal('"1"');
        const again = await create(key, { description: 'only once', title: 'Once' }).expect(201);
        expect(again.text).to.equal(first.text);
        expect(again.headers).to.include({
          'idempotent-replayed': 'true',
          location: first.headers.location,
          etag: '"1"',
          'content-type': 'application/json; charset=utf-8',
        });
        expect(again.headers['x-request-id']).not.to.equal(first.headers['x-request-id']);
        expect(await countOf(ALICE)).to.equal(1);
        expect(await recordsOf(ALICE)).to.equal(1);
        expect(created() - logged, 'entity_created is logged once, after the commit').to.equal(1);
      });

      it('when twelve repeats of one key arrive at once, on two apps sharing the database, then one entity is created and every caller gets it or a 409 with Retry-After', async () => {
        const key = freshKey();
        const answers = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            create(key, { title: 'Concurrent' }, ALICE, i % 2 === 0 ? server : second),
          ),
        );
        const statuses = answers.map((res) => res.status);
        expect(
          statuses.every((status) => status === 201 || status === 409),
          statuses.join(),
        ).to.equal(true);
        const created = answers.filter((res) => res.status === 201);
        expect(created.length).to.be.at.least(1);
        expect(new Set(created.map((res) => res.text)).size).to.equal(1);
        for (const refused of answers.filter((res) => res.status === 409)) {
          expect(refused.body).to.include({ error: 'CONFLICT', code: 'IDEMPOTENCY_KEY_IN_FLIGHT' });
          expect(refused.headers['retry-after']).to.equal('1');
        }
        // Those told to wait retry, and get the same entity.
        const retried = await create(key, { title: 'Concurrent' }, ALICE, second).expect(201);
        expect(retried.text).to.equal(created[0]!.text);
        expect(await countOf(ALICE)).to.equal(1);
      });

      it('when the key is reused with another body, then 422 IDEMPOTENCY_KEY_REUSED and nothing more is created', async () => {
        const key = freshKey();
        await create(key, { title: 'First body' }).expect(201);
        const reused = await create(key, { title: 'Another body' }).expect(422);
        expect(reused.body).to.include({ error: 'VALIDATION_ERROR', code: 'IDEMPOTENCY_KEY_REUSED' });
        expect(reused.body.request_id).to.equal(reused.headers['x-request-id']);
        expect(await countOf(ALICE)).to.equal(1);
      });

      it('when another caller sends the same key, then it is their own key: a second entity, theirs', async () => {
        const key = freshKey();
        const alice = await create(key, { title: 'Shared key' }, ALICE).expect(201);
        const bob = await create(key, { title: 'Shared key' }, BOB).expect(201);
        expect(bob.body.id).not.to.equal(alice.body.id);
        expect(bob.body.owner_id).to.equal(BOB);
        expect(bob.headers['idempotent-replayed']).to.equal(undefined);
      });

      it('when a request is refused before the handler (422, 400 key), then nothing is recorded and the key still works', async () => {
        const key = freshKey();
        await create(key, { title: '' }).expect(422);
        const malformed = await create('has a space', { title: 'x' }).expect(400);
        expect(malformed.body).to.include({ error: 'BAD_REQUEST', code: 'IDEMPOTENCY_KEY_INVALID' });
        await create('k'.repeat(256), { title: 'x' }).expect(400);
        await create('é', { title: 'x' }).expect(400);
        expect(await recordsOf(ALICE)).to.equal(0);
        await create(key, { title: 'Now valid' }).expect(201);
        expect(await countOf(ALICE)).to.equal(1);
      });

      it('when the database fails the write (500), then the key is released and a retry creates the entity once', async () => {
        await database.db.exec(
          "alter table public.entities add constraint entities_fail_once check (title <> 'fails once')",
        );
        const key = freshKey();
        const logged = created();
        try {
          // The insert is made by the statement that records the answer: the store's failure, a 500 whose cause is logged.
          const failed = await create(key, { title: 'fails once' }).expect(500);
          expect(failed.body).to.include({ code: 'INTERNAL_ERROR', message: 'An unexpected error occurred.' });
          expect(await recordsOf(ALICE)).to.equal(0);
          expect(created(), 'nothing was created, nothing is logged as created').to.equal(logged);
        } finally {
          await database.db.exec('alter table public.entities drop constraint entities_fail_once');
        }
        const retried = await create(key, { title: 'fails once' }).expect(201);
        expect(retried.headers['idempotent-replayed']).to.equal(undefined);
        await create(key, { title: 'fails once' }).expect(201).expect('Idempotent-Replayed', 'true');
        expect(await countOf(ALICE)).to.equal(1);
      });

      it('when the record has expired, then it counts as absent (a new entity), and the purge removes expired records only', async () => {
        const key = freshKey();
        await create(key, { title: 'Expires' }).expect(201);
        const kept = freshKey();
        await create(kept, { title: 'Kept' }).expect(201);
        await database.db.query(
          "update public.idempotency_keys set expires_at = now() - interval '1 second' where key = $1",
          [key],
        );
        const afterExpiry = await create(key, { title: 'Expires' }).expect(201);
        expect(afterExpiry.headers['idempotent-replayed']).to.equal(undefined);
        expect(await countOf(ALICE)).to.equal(3);
        await database.db.query(
          "update public.idempotency_keys set expires_at = now() - interval '1 second' where key = $1",
          [key],
        );
        expect(await idempotency.purgeExpired()).to.equal(1);
        expect(await recordsOf(ALICE)).to.equal(1);
        await create(kept, { title: 'Kept' }).expect(201).expect('Idempotent-Replayed', 'true');
      });

      it('when a request has no key, then it behaves as before: every POST creates', async () => {
        await api().post(BASE).set(as(ALICE)).send({ title: 'Plain' }).expect(201);
        await api().post(BASE).set(as(ALICE)).send({ title: 'Plain' }).expect(201);
        expect(await countOf(ALICE)).to.equal(2);
        expect(await recordsOf(ALICE)).to.equal(0);
      });
    });

    describe('ETag, If-None-Match and If-Match on /api/v1/entities/{id}', () => {
      async function made(): Promise<{ id: string; etag: string }> {
        const res = await api().post(BASE).set(as(ALICE)).send({ title: 'Tagged' }).expect(201);
        return { id: res.body.id as string, etag: res.headers.etag as string };
      }

      it('when an entity is read, changed and read again, then its strong ETag changes with the write and If-None-Match answers 304 only while current', async () => {
        const { id, etag } = await made();
        const read = await api().get(`${BASE}/${id}`).set(as(ALICE)).expect(200);
        expect(read.headers.etag)
          .to.equal(etag)
          .and.to.match(/^"\d+"$/);
        const notModified = await api().get(`${BASE}/${id}`).set(as(ALICE)).set('If-None-Match', etag).expect(304);
        expect(notModified.text).to.equal('');
        expect(notModified.headers.etag).to.equal(etag);
        const patched = await api().patch(`${BASE}/${id}`).set(as(ALICE)).send({ title: 'Changed' }).expect(200);
        expect(patched.headers.etag).to.equal('"2"');
        await api().get(`${BASE}/${id}`).set(as(ALICE)).set('If-None-Match', etag).expect(200);
        await api()
          .get(`${BASE}/${id}`)
          .set(as(ALICE))
          .set('If-None-Match', `W/"9", ${patched.headers.etag as string}`)
          .expect(304);
      });

      it('when If-Match is stale, then PATCH and DELETE answer 412 PRECONDITION_FAILED in the unified shape and change nothing', async () => {
        const { id, etag } = await made();
        const current = (
          await api()
            .patch(`${BASE}/${id}`)
            .set(as(ALICE))
            .set('If-Match', etag)
            .send({ description: 'first writer' })
            .expect(200)
        ).headers.etag as string;
        const stale = await api()
          .patch(`${BASE}/${id}`)
          .set(as(ALICE))
          .set('If-Match', etag)
          .send({ description: 'second writer' })
          .expect(412);
        expect(stale.body).to.deep.equal({
          error: 'PRECONDITION_FAILED',
          message: 'The resource has changed since you read it.',
          code: 'PRECONDITION_FAILED',
          request_id: stale.headers['x-request-id'],
        });
        await api().patch(`${BASE}/${id}`).set(as(ALICE)).set('If-Match', etag).send({}).expect(412);
        await api().delete(`${BASE}/${id}`).set(as(ALICE)).set('If-Match', etag).expect(412);
        const now = await api().get(`${BASE}/${id}`).set(as(ALICE)).expect(200);
        expect(now.body.description).to.equal('first writer');
        expect(now.headers.etag).to.equal(current);
        await api().patch(`${BASE}/${id}`).set(as(ALICE)).set('If-Match', `"77", ${current}`).send({}).expect(200);
        await api().delete(`${BASE}/${id}`).set(as(ALICE)).set('If-Match', current).expect(204);
      });

      it('when If-Match is *, then any existing entity matches; a missing or foreign entity is still 404', async () => {
        const { id } = await made();
        await api().patch(`${BASE}/${id}`).set(as(ALICE)).set('If-Match', '*').send({ title: 'Star' }).expect(200);
        const foreign = await api()
          .patch(`${BASE}/${id}`)
          .set(as(BOB))
          .set('If-Match', '"1"')
          .send({ title: 'Mine' })
          .expect(404);
        expect(foreign.body.code).to.equal('ENTITY_NOT_FOUND');
        await api().delete(`${BASE}/${id}`).set(as(BOB)).set('If-Match', '*').expect(404);
        await api().delete(`${BASE}/${id}`).set(as(ALICE)).set('If-Match', '*').expect(204);
        await api().patch(`${BASE}/${id}`).set(as(ALICE)).set('If-Match', '*').send({ title: 'Gone' }).expect(404);
      });

      it('when a conditional header is malformed, then 400 BAD_REQUEST and nothing changes', async () => {
        const { id } = await made();
        const bad = await api()
          .patch(`${BASE}/${id}`)
          .set(as(ALICE))
          .set('If-Match', 'not-quoted')
          .send({ title: 'x' })
          .expect(400);
        expect(bad.body).to.include({ error: 'BAD_REQUEST', code: 'BAD_REQUEST' });
        await api().get(`${BASE}/${id}`).set(as(ALICE)).set('If-None-Match', 'nope').expect(400);
        expect((await api().get(`${BASE}/${id}`).set(as(ALICE)).expect(200)).body.title).to.equal('Tagged');
      });

      it('when twelve PATCHes race from one ETag, then exactly one is 200 and eleven are 412, and no update is lost', async () => {
        const { id, etag } = await made();
        const answers = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            request((i % 2 === 0 ? server : second).url)
              .patch(`${BASE}/${id}`)
              .set(as(ALICE))
              .set('If-Match', etag)
              .send({ description: `writer ${i}` }),
          ),
        );
        const statuses = answers.map((res) => res.status).sort();
        expect(statuses).to.deep.equal([200, ...Array<number>(11).fill(412)]);
        const winner = answers.find((res) => res.status === 200)!;
        const now = await api().get(`${BASE}/${id}`).set(as(ALICE)).expect(200);
        expect(now.body.description).to.equal(winner.body.description);
        expect(now.headers.etag).to.equal('"2"');
      });

      it('counts replays, key conflicts and precondition failures on /metrics', async () => {
        const metrics = createMetrics({ defaultMetrics: false });
        const read = async (): Promise<string> => await metrics.registry.metrics();
        const value = (text: string, line: RegExp): number => Number(line.exec(text)?.[1] ?? 0);
        const before = await read();
        const { id, etag } = await made();
        await api().patch(`${BASE}/${id}`).set(as(ALICE)).send({ title: 'moved on' }).expect(200);
        await api().patch(`${BASE}/${id}`).set(as(ALICE)).set('If-Match', etag).send({ title: 'stale' }).expect(412);
        const key = freshKey();
        await create(key, { title: 'counted' }).expect(201);
        await create(key, { title: 'counted' }).expect(201);
        await create(key, { title: 'other' }).expect(422);
        const after = await read();
        const replay = /idempotency_replays_total\{method="POST",route="\/api\/v1\/entities"\} (\d+)/;
        const reused =
          /idempotency_key_conflicts_total\{method="POST",route="\/api\/v1\/entities",code="IDEMPOTENCY_KEY_REUSED"\} (\d+)/;
        const failed = /precondition_failures_total\{method="PATCH",route="\/api\/v1\/entities\/:id"\} (\d+)/;
        expect(value(after, replay) - value(before, replay)).to.equal(1);
        expect(value(after, reused) - value(before, reused)).to.equal(1);
        expect(value(after, failed) - value(before, failed)).to.equal(1);
      });
    });
  });
}
