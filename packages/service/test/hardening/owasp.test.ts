import { expect } from 'chai';
import request from 'supertest';
import { createSqlEntityRepository } from '../../src/entities/index.js';
import { as, buildApp } from '../fixtures/app.js';
import { DATABASE_TARGETS, testDatabase, type TestDatabase } from '../fixtures/databases.js';
import { listen, type RunningServer } from '../fixtures/http.js';

// The OWASP API Security Top 10 (2023) cases that apply to this service, through a real server.
const BASE = '/api/v1/entities';
const OWNER = 'user_owner';
const INTRUDER = 'user_intruder';

for (const target of DATABASE_TARGETS) {
  describe(`OWASP API Top 10 on ${target}`, () => {
    let database: TestDatabase;
    let server: RunningServer;
    const api = () => request(server.url);

    before(async () => {
      database = testDatabase(target);
      server = await listen(buildApp(createSqlEntityRepository(database.db)).app);
    });
    after(() => server.close());
    beforeEach(() => database.reset());

    async function ownersEntity(): Promise<Record<string, unknown>> {
      return (await api().post(BASE).set(as(OWNER)).send({ title: 'Private', description: 'only mine' }).expect(201))
        .body as Record<string, unknown>;
    }

    async function unchanged(entity: Record<string, unknown>): Promise<void> {
      const now = await api()
        .get(`${BASE}/${String(entity.id)}`)
        .set(as(OWNER))
        .expect(200);
      expect(now.body).to.deep.equal(entity);
    }

    describe('API1 broken object level authorization: another owner reaches nothing, on every route', () => {
      it('GET one → 404 ENTITY_NOT_FOUND', async () => {
        const entity = await ownersEntity();
        const res = await api()
          .get(`${BASE}/${String(entity.id)}`)
          .set(as(INTRUDER))
          .expect(404);
        expect(res.body.code).to.equal('ENTITY_NOT_FOUND');
      });

      it('GET list → an empty page with count 0', async () => {
        await ownersEntity();
        const res = await api().get(BASE).set(as(INTRUDER)).expect(200);
        expect(res.body).to.deep.equal({ data: [], count: 0, next_cursor: null });
      });

      it('PATCH → 404 and the entity is unchanged', async () => {
        const entity = await ownersEntity();
        await api()
          .patch(`${BASE}/${String(entity.id)}`)
          .set(as(INTRUDER))
          .send({ title: 'Taken over' })
          .expect(404);
        await unchanged(entity);
      });

      it('DELETE → 404 and the entity is still there', async () => {
        const entity = await ownersEntity();
        await api()
          .delete(`${BASE}/${String(entity.id)}`)
          .set(as(INTRUDER))
          .expect(404);
        await unchanged(entity);
      });
    });

    describe('API3 broken object property level authorization (mass assignment)', () => {
      for (const field of ['owner_id', 'id', 'created_at', 'updated_at']) {
        it(`refuses ${field} in a create, and creates nothing`, async () => {
          const value =
            field === 'id'
              ? '6f1c2b9e-6a1d-4c8e-9f3a-2b7d5e8c1a40'
              : field === 'owner_id'
                ? INTRUDER
                : '2000-01-01T00:00:00.000Z';
          const res = await api()
            .post(BASE)
            .set(as(OWNER))
            .send({ title: 'x', [field]: value })
            .expect(422);
          expect(res.body.details).to.deep.include({
            field,
            message: `${field} is not allowed`,
            type: 'unknown_field',
          });
          expect((await api().get(BASE).set(as(OWNER)).expect(200)).body.count).to.equal(0);
        });

        it(`refuses ${field} in an update, and changes nothing`, async () => {
          const entity = await ownersEntity();
          await api()
            .patch(`${BASE}/${String(entity.id)}`)
            .set(as(OWNER))
            .send({ title: 'changed', [field]: field === 'owner_id' ? INTRUDER : '2000-01-01T00:00:00.000Z' })
            .expect(422);
          await unchanged(entity);
        });
      }
    });

    describe('API4 unrestricted resource consumption', () => {
      it('bounds page sizes and offsets', async () => {
        for (const query of [
          'limit=101',
          'limit=1000000',
          'limit=0',
          'offset=-1',
          'offset=1e20',
          'offset=99999999999999999999',
          'limit=1&limit=2',
        ]) {
          const res = await api().get(`${BASE}?${query}`).set(as(OWNER));
          expect(res.status, query).to.equal(422);
        }
      });

      it('refuses bodies over the limit with 413 and deeply nested JSON with a 4xx', async () => {
        await api()
          .post(BASE)
          .set(as(OWNER))
          .send({ title: 'x', description: 'y'.repeat(200_000) })
          .expect(413);
        const deep = await api()
          .post(BASE)
          .set(as(OWNER))
          .set('Content-Type', 'application/json')
          .send(`{"title":"x","n":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
        expect(deep.status).to.be.within(400, 499);
        expect((await api().get(BASE).set(as(OWNER)).expect(200)).body.count).to.equal(0);
      });
    });

    describe('API8 security misconfiguration', () => {
      it('error responses carry the security headers and no stack or SQL text', async () => {
        const res = await api().get(`${BASE}/not-a-uuid`).set(as(OWNER)).expect(422);
        expect(res.headers['x-content-type-options']).to.equal('nosniff');
        expect(res.headers['content-security-policy']).to.contain("default-src 'none'");
        expect(res.text).not.to.match(/\bat \w|select |from public|syntax error/i);
      });
    });

    describe('injection', () => {
      it('stores SQL and markup in text fields verbatim, and the table stays intact', async () => {
        const title = "'); drop table entities; --";
        const description = '<script>alert(1)</script> $1 %s \\x00';
        const created = (await api().post(BASE).set(as(OWNER)).send({ title, description }).expect(201)).body as Record<
          string,
          unknown
        >;
        expect(created).to.include({ title, description });
        expect((await api().get(BASE).set(as(OWNER)).expect(200)).body.count).to.equal(1);
      });
    });
  });
}
