import { expect } from 'chai';
import request from 'supertest';
import { createTestKeyPair, signSessionToken } from '@org/platform/testing';
import { createPgClient } from '../../src/db/index.js';
import { createSqlEntityRepository } from '../../src/entities/index.js';
import { as, buildApp, type CapturedLog } from '../fixtures/app.js';
import { DATABASE_TARGETS, testDatabase, type TestDatabase } from '../fixtures/databases.js';
import { listen, type RunningServer } from '../fixtures/http.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const FIELDS = ['created_at', 'description', 'id', 'owner_id', 'title', 'updated_at'];
const BASE = '/api/v1/entities';
const ALICE = 'user_alice';
const BOB = 'user_bob';
const MISSING = '00000000-0000-4000-8000-000000000000';

for (const target of DATABASE_TARGETS) {
  describe(`entities API on ${target}`, () => {
    let database: TestDatabase;
    let server: RunningServer;
    let log: CapturedLog;
    const api = () => request(server.url);

    before(async () => {
      database = testDatabase(target);
      const built = buildApp(createSqlEntityRepository(database.db));
      log = built.log;
      server = await listen(built.app);
    });
    after(() => server.close());
    beforeEach(() => database.reset());

    async function create(body: object, user = ALICE): Promise<Record<string, unknown>> {
      const res = await api().post(BASE).set(as(user)).send(body).expect(201);
      return res.body as Record<string, unknown>;
    }

    describe('POST /api/v1/entities', () => {
      it('creates an entity with exactly the six fields and a Location header', async () => {
        const res = await api().post(BASE).set(as(ALICE)).send({ title: 'First', description: 'About it' }).expect(201);
        const body = res.body as Record<string, string>;
        expect(Object.keys(body).sort()).to.deep.equal(FIELDS);
        expect(body.id).to.match(UUID);
        expect(body).to.include({ title: 'First', description: 'About it', owner_id: ALICE });
        expect(body.created_at).to.match(ISO_UTC);
        expect(body.updated_at).to.match(ISO_UTC);
        expect(res.headers.location).to.equal(`${BASE}/${body.id}`);
        expect(res.headers['content-type']).to.equal('application/json; charset=utf-8');
      });

      it('answers the trailing-slash form directly, without a redirect', async () => {
        const res = await api().post(`${BASE}/`).set(as(ALICE)).send({ title: 'Slashed' }).expect(201);
        expect((res.body as { description: unknown }).description).to.equal(null);
      });

      it('refuses owner_id and any other unknown field with 422 unknown_field', async () => {
        const res = await api().post(BASE).set(as(ALICE)).send({ title: 'x', owner_id: BOB, extra: 1 }).expect(422);
        const details = (res.body as { details: { field: string; type: string }[] }).details;
        expect(details.map((d) => [d.field, d.type])).to.deep.equal([
          ['owner_id', 'unknown_field'],
          ['extra', 'unknown_field'],
        ]);
        expect((await api().get(BASE).set(as(BOB))).body).to.deep.include({ count: 0 });
      });

      it('counts title and description lengths in code points (255 and 1000)', async () => {
        await create({ title: '😀'.repeat(255), description: '😀'.repeat(1000) });
        const res = await api()
          .post(BASE)
          .set(as(ALICE))
          .send({ title: '😀'.repeat(256), description: 'é'.repeat(1001) })
          .expect(422);
        expect(
          (res.body as { details: { field: string; type: string }[] }).details.map((d) => [d.field, d.type]),
        ).to.deep.equal([
          ['title', 'string_too_long'],
          ['description', 'string_too_long'],
        ]);
      });

      for (const [label, body, field, type] of [
        ['a missing title', { description: 'd' }, 'title', 'missing'],
        ['an empty title', { title: '' }, 'title', 'string_too_short'],
        ['a whitespace-only title', { title: ' \t\n ' }, 'title', 'string_blank'],
        ['a null title', { title: null }, 'title', 'string_type'],
        ['a numeric title', { title: 5 }, 'title', 'string_type'],
        ['a NUL character', { title: 'a\u0000b' }, 'title', 'string_pattern_mismatch'],
        ['a lone surrogate', { title: 'a\ud800b' }, 'title', 'string_pattern_mismatch'],
        ['a body that is an array', [{ title: 'x' }], 'body', 'model_attributes_type'],
      ] as const) {
        it(`answers 422 for ${label}`, async () => {
          const res = await api()
            .post(BASE)
            .set(as(ALICE))
            .send(body as object)
            .expect(422);
          expect(res.body).to.include({ error: 'VALIDATION_ERROR', code: 'VALIDATION_FAILED' });
          expect((res.body as { details: { field: string; type: string }[] }).details[0]).to.include({ field, type });
        });
      }

      it('answers 401 before validating when no caller is authenticated', async () => {
        const res = await api().post(BASE).send({ nope: true }).expect(401);
        expect(res.body).to.include({ code: 'AUTH_MISSING_TOKEN' });
      });

      it('answers 401 AUTH_INVALID_TOKEN for a token of another key on every route, and never logs a token', async () => {
        const forged = signSessionToken(createTestKeyPair(), { userId: ALICE });
        const created = await create({ title: 'mine' });
        const calls = [
          api().post(BASE).send({ title: 't' }),
          api().get(BASE),
          api().get(`${BASE}/${String(created.id)}`),
          api()
            .patch(`${BASE}/${String(created.id)}`)
            .send({ title: 'stolen' }),
          api().delete(`${BASE}/${String(created.id)}`),
        ];
        for (const res of await Promise.all(calls.map((call) => call.set('Authorization', `Bearer ${forged}`)))) {
          expect(res.status).to.equal(401);
          expect(res.body).to.include({ code: 'AUTH_INVALID_TOKEN' });
        }
        await api()
          .get(`${BASE}/${String(created.id)}`)
          .set(as(ALICE))
          .expect(200);
        const tokenOf = (headers: Record<string, string>) => headers.Authorization!.slice('Bearer '.length);
        expect(log.text())
          .not.to.contain(forged.split('.')[2])
          .and.not.to.contain(tokenOf(as(ALICE)).split('.')[2]);
      });
    });

    describe('GET /api/v1/entities', () => {
      it('lists only the caller’s entities, newest first, with the true count', async () => {
        const titles = ['one', 'two', 'three'];
        for (const title of titles) await create({ title });
        await create({ title: 'bob’s' }, BOB);
        const res = await api().get(BASE).set(as(ALICE)).expect(200);
        const body = res.body as { data: { title: string }[]; count: number };
        expect(body.count).to.equal(3);
        expect(body.data.map((e) => e.title)).to.deep.equal(['three', 'two', 'one']);
        await api().get(`${BASE}/`).set(as(ALICE)).expect(200);
      });

      it('pages stably by created_at then id when timestamps tie', async () => {
        // Same created_at for all rows: only the id breaks the tie, and pages must neither overlap nor skip.
        await database.db.query(
          `insert into public.entities (title, owner_id, created_at) select 'e' || g, $1, '2026-01-01T00:00:00Z' from generate_series(1, 7) g`,
          [ALICE],
        );
        const seen: string[] = [];
        for (let offset = 0; offset < 7; offset += 3) {
          const res = await api().get(BASE).query({ offset, limit: 3 }).set(as(ALICE)).expect(200);
          const body = res.body as { data: { id: string }[]; count: number };
          expect(body.count).to.equal(7);
          seen.push(...body.data.map((e) => e.id));
        }
        expect(seen).to.have.length(7);
        expect(seen).to.deep.equal([...seen].sort().reverse());
      });

      it('answers an empty page with the true count for an offset past the end', async () => {
        await create({ title: 'only' });
        const res = await api().get(BASE).query({ offset: 50 }).set(as(ALICE)).expect(200);
        expect(res.body).to.deep.equal({ data: [], count: 1, next_cursor: null });
      });

      type Page = { data: { id: string; title: string }[]; count: number; next_cursor: string | null };

      it('hands out next_cursor on every page but the last, and the cursor pages through every row once, newest first', async () => {
        // Ties on created_at (and rows within one microsecond of each other) must neither be skipped nor repeated.
        await database.db.query(
          `insert into public.entities (title, owner_id, created_at)
           select 'e' || g, $1, '2026-01-01T00:00:00.000001Z'::timestamptz + ((g / 3) * interval '1 microsecond') from generate_series(1, 8) g`,
          [ALICE],
        );
        await create({ title: 'bob’s' }, BOB);
        const first = (await api().get(BASE).query({ limit: 3 }).set(as(ALICE)).expect(200)).body as Page;
        expect(first.count).to.equal(8);
        expect(first.next_cursor)
          .to.be.a('string')
          .and.match(/^[A-Za-z0-9_-]+$/);
        const seen = first.data.map((e) => e.id);
        let cursor = first.next_cursor;
        let pages = 1;
        while (cursor !== null) {
          const page = (await api().get(BASE).query({ cursor, limit: 3 }).set(as(ALICE)).expect(200)).body as Page;
          expect(page.count).to.equal(8);
          seen.push(...page.data.map((e) => e.id));
          cursor = page.next_cursor;
          pages++;
        }
        expect(pages).to.equal(3);
        const all = (await api().get(BASE).query({ limit: 100 }).set(as(ALICE)).expect(200)).body as Page;
        expect(all.next_cursor).to.equal(null);
        expect(seen).to.deep.equal(all.data.map((e) => e.id));
      });

      it('gives offset pages a next_cursor that continues where they end, and null on the last page', async () => {
        for (const title of ['one', 'two', 'three', 'four']) await create({ title });
        const offsetPage = (await api().get(BASE).query({ offset: 1, limit: 2 }).set(as(ALICE)).expect(200))
          .body as Page;
        expect(offsetPage.data.map((e) => e.title)).to.deep.equal(['three', 'two']);
        const next = (
          await api().get(BASE).query({ cursor: offsetPage.next_cursor, limit: 2 }).set(as(ALICE)).expect(200)
        ).body as Page;
        expect(next).to.deep.include({ count: 4, next_cursor: null });
        expect(next.data.map((e) => e.title)).to.deep.equal(['one']);
        const exact = (await api().get(BASE).query({ offset: 2, limit: 2 }).set(as(ALICE)).expect(200)).body as Page;
        expect(exact.next_cursor).to.equal(null);
      });

      it('refuses cursor with offset, and a malformed or foreign cursor, with 422 on field cursor', async () => {
        for (const title of ['one', 'two']) await create({ title });
        await create({ title: 'bob’s' }, BOB);
        const { next_cursor: cursor } = (await api().get(BASE).query({ limit: 1 }).set(as(ALICE)).expect(200))
          .body as Page;
        const both = await api().get(BASE).query({ cursor, offset: 0 }).set(as(ALICE)).expect(422);
        expect(both.body.details).to.deep.equal([
          {
            field: 'cursor',
            message: 'cursor and offset cannot be used together: a cursor already says where the page starts',
            type: 'mutually_exclusive',
          },
        ]);
        const forged = Buffer.from(
          JSON.stringify({ v: 1, t: '2026-01-01T00:00:00.000000Z', i: MISSING, o: 'x' }),
        ).toString('base64url');
        for (const bad of ['garbage', 'e30', forged, `${cursor!}x`, 'a'.repeat(513), 'not base64!']) {
          const res = await api().get(BASE).query({ cursor: bad }).set(as(ALICE)).expect(422);
          expect(res.body.details[0].field, bad).to.equal('cursor');
        }
        // Alice's cursor is not Bob's: 422, never Bob's rows from Alice's position.
        const foreign = await api().get(BASE).query({ cursor }).set(as(BOB)).expect(422);
        expect(foreign.body.details).to.deep.equal([
          { field: 'cursor', message: 'cursor is not one that this listing handed out', type: 'cursor_invalid' },
        ]);
      });

      it('defaults to 20 per page', async () => {
        await database.db.query(
          `insert into public.entities (title, owner_id) select 'e' || g, $1 from generate_series(1, 25) g`,
          [ALICE],
        );
        const res = await api().get(BASE).set(as(ALICE)).expect(200);
        expect((res.body as { data: unknown[] }).data).to.have.length(20);
      });

      for (const [query, field, type] of [
        [{ limit: 0 }, 'limit', 'greater_than_equal'],
        [{ limit: 101 }, 'limit', 'less_than_equal'],
        [{ limit: 'ten' }, 'limit', 'int_parsing'],
        [{ offset: -1 }, 'offset', 'greater_than_equal'],
        [{ offset: 1.5 }, 'offset', 'int_parsing'],
        [{ offset: '1e400' }, 'offset', 'int_parsing'],
        [{ offset: ['1', '2'] }, 'offset', 'int_parsing'],
      ] as const) {
        it(`answers 422 ${field} ${type} for ${JSON.stringify(query)}`, async () => {
          const res = await api().get(BASE).query(query).set(as(ALICE)).expect(422);
          expect((res.body as { details: { field: string; type: string }[] }).details[0]).to.include({ field, type });
        });
      }
    });

    describe('GET /api/v1/entities/:id', () => {
      it('returns the caller’s entity', async () => {
        const created = await create({ title: 'mine' });
        const res = await api()
          .get(`${BASE}/${String(created.id)}`)
          .set(as(ALICE))
          .expect(200);
        expect(res.body).to.deep.equal(created);
        await api()
          .get(`${BASE}/${String(created.id)}/`)
          .set(as(ALICE))
          .expect(200);
      });

      it('answers 404 ENTITY_NOT_FOUND for another owner’s entity, as for a missing one', async () => {
        const created = await create({ title: 'mine' });
        const other = await api()
          .get(`${BASE}/${String(created.id)}`)
          .set(as(BOB))
          .expect(404);
        const missing = await api().get(`${BASE}/${MISSING}`).set(as(BOB)).expect(404);
        for (const res of [other, missing])
          expect(res.body).to.include({ error: 'NOT_FOUND', code: 'ENTITY_NOT_FOUND', message: 'Entity not found' });
      });

      for (const id of [
        'not-a-uuid',
        '123',
        'a0eebc99:9c0b:4ef8:bb6d:6bb9bd380a11',
        '(a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11)',
        `${MISSING}x`,
        '%00',
      ]) {
        it(`answers 422 field id uuid_parsing for ${id}`, async () => {
          const res = await api().get(`${BASE}/${id}`).set(as(ALICE)).expect(422);
          expect(
            (res.body as { details: { field: string; type: string }[] }).details.map((d) => [d.field, d.type]),
          ).to.deep.equal([['id', 'uuid_parsing']]);
        });
      }

      it('accepts an upper-case uuid', async () => {
        const created = await create({ title: 'mine' });
        await api()
          .get(`${BASE}/${String(created.id).toUpperCase()}`)
          .set(as(ALICE))
          .expect(200);
      });
    });

    describe('PATCH /api/v1/entities/:id', () => {
      it('changes only the sent keys and refreshes updated_at', async () => {
        const created = await create({ title: 'before', description: 'keep me' });
        const res = await api()
          .patch(`${BASE}/${String(created.id)}`)
          .set(as(ALICE))
          .send({ title: 'after' })
          .expect(200);
        const body = res.body as Record<string, string>;
        expect(body).to.include({
          id: created.id,
          title: 'after',
          description: 'keep me',
          owner_id: ALICE,
          created_at: created.created_at,
        });
        expect(Date.parse(body.updated_at!)).to.be.greaterThan(Date.parse(String(created.updated_at)));
      });

      it('clears the description when it is sent as null', async () => {
        const created = await create({ title: 't', description: 'gone soon' });
        const res = await api()
          .patch(`${BASE}/${String(created.id)}/`)
          .set(as(ALICE))
          .send({ description: null })
          .expect(200);
        expect(res.body).to.include({ title: 't', description: null });
      });

      it('answers 200 with the entity unchanged for an empty body', async () => {
        const created = await create({ title: 't', description: 'd' });
        const res = await api()
          .patch(`${BASE}/${String(created.id)}`)
          .set(as(ALICE))
          .send({})
          .expect(200);
        expect(res.body).to.deep.equal(created);
      });

      it('answers 422 for a null title and for unknown fields', async () => {
        const created = await create({ title: 't' });
        const nullTitle = await api()
          .patch(`${BASE}/${String(created.id)}`)
          .set(as(ALICE))
          .send({ title: null })
          .expect(422);
        expect((nullTitle.body as { details: unknown[] }).details[0]).to.include({ field: 'title' });
        const unknown = await api()
          .patch(`${BASE}/${String(created.id)}`)
          .set(as(ALICE))
          .send({ owner_id: BOB })
          .expect(422);
        expect((unknown.body as { details: unknown[] }).details[0]).to.include({
          field: 'owner_id',
          type: 'unknown_field',
        });
      });

      it('answers 404 and changes nothing for another owner’s entity, also with an empty body', async () => {
        const created = await create({ title: 'mine' });
        await api()
          .patch(`${BASE}/${String(created.id)}`)
          .set(as(BOB))
          .send({ title: 'stolen' })
          .expect(404);
        await api()
          .patch(`${BASE}/${String(created.id)}`)
          .set(as(BOB))
          .send({})
          .expect(404);
        const res = await api()
          .get(`${BASE}/${String(created.id)}`)
          .set(as(ALICE))
          .expect(200);
        expect(res.body).to.deep.equal(created);
      });
    });

    describe('DELETE /api/v1/entities/:id', () => {
      it('answers 204 with an empty body, then 404', async () => {
        const created = await create({ title: 'doomed' });
        const res = await api()
          .delete(`${BASE}/${String(created.id)}`)
          .set(as(ALICE))
          .expect(204);
        expect(res.text).to.equal('');
        await api()
          .delete(`${BASE}/${String(created.id)}`)
          .set(as(ALICE))
          .expect(404);
      });

      it('answers 404 and keeps another owner’s entity', async () => {
        const created = await create({ title: 'mine' });
        await api()
          .delete(`${BASE}/${String(created.id)}`)
          .set(as(BOB))
          .expect(404);
        await api()
          .get(`${BASE}/${String(created.id)}`)
          .set(as(ALICE))
          .expect(200);
      });
    });

    describe('when the database fails', () => {
      // A real failure: the table is renamed away for the test, so every statement errors.
      beforeEach(() => database.db.exec('alter table public.entities rename to entities_away'));
      afterEach(() => database.db.exec('alter table public.entities_away rename to entities'));

      for (const [method, path, body, code] of [
        ['post', BASE, { title: 't' }, 'ENTITY_CREATE_FAILED'],
        ['get', BASE, undefined, 'ENTITY_LIST_FAILED'],
        ['get', `${BASE}/${MISSING}`, undefined, 'ENTITY_GET_FAILED'],
        ['patch', `${BASE}/${MISSING}`, { title: 't' }, 'ENTITY_UPDATE_FAILED'],
        ['patch', `${BASE}/${MISSING}`, {}, 'ENTITY_GET_FAILED'],
        ['delete', `${BASE}/${MISSING}`, undefined, 'ENTITY_DELETE_FAILED'],
      ] as const) {
        it(`answers 500 ${code} for ${method.toUpperCase()} ${path} ${body === undefined ? '' : JSON.stringify(body)} without leaking the cause`, async () => {
          let call = api()[method](path).set(as(ALICE));
          if (body !== undefined) call = call.send(body);
          const res = await call.expect(500);
          expect(res.body).to.include({ error: 'INTERNAL_ERROR', code });
          expect(JSON.stringify(res.body)).not.to.match(/entities_away|relation|does not exist/);
          expect(log.text()).to.contain('does not exist');
        });
      }
    });
  });
}

describe('entities API when the database is unreachable', () => {
  let server: RunningServer;
  let log: CapturedLog;
  let close: () => Promise<void>;
  before(async () => {
    // Port 1 on loopback refuses connections: a real "cannot connect".
    const db = createPgClient({ connectionString: 'postgres://postgres:hunter2@127.0.0.1:1/none', timeoutMs: 2000 });
    close = () => db.close();
    const built = buildApp(createSqlEntityRepository(db));
    log = built.log;
    server = await listen(built.app);
  });
  after(async () => {
    await server.close();
    await close();
  });

  it('answers 503 DATABASE_UNAVAILABLE for every route', async () => {
    const api = request(server.url);
    const calls = [
      api.post(BASE).set(as(ALICE)).send({ title: 't' }),
      api.get(BASE).set(as(ALICE)),
      api.get(`${BASE}/${MISSING}`).set(as(ALICE)),
      api.patch(`${BASE}/${MISSING}`).set(as(ALICE)).send({ title: 't' }),
      api.delete(`${BASE}/${MISSING}`).set(as(ALICE)),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).to.equal(503);
      expect(res.body).to.include({
        error: 'SERVICE_UNAVAILABLE',
        code: 'DATABASE_UNAVAILABLE',
        message: 'The database is unavailable.',
      });
      expect(JSON.stringify(res.body)).not.to.contain('hunter2');
    }
    expect(log.text()).to.contain('DATABASE_UNAVAILABLE').and.to.contain('ECONNREFUSED').and.not.to.contain('hunter2');
  });
});
