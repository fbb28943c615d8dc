import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createHealth } from '@org/platform';
import { createPgClient, type SqlClient } from '../src/db/index.js';
import { createSqlEntityRepository, type EntityRepository } from '../src/entities/index.js';
import { buildApp, captureLog } from './fixtures/app.js';
import { DATABASE_TARGETS, serverTestUrl, testDatabase } from './fixtures/databases.js';
import { listen } from './fixtures/http.js';

/** GET /readyz of an app whose only readiness check is main.ts's: the repository's ping. */
async function readiness(
  repository: EntityRepository,
): Promise<{ status: number; body: { status: string; checks: Record<string, { status: string }> } }> {
  const health = createHealth({ ready: true, defaultTimeoutMs: 2000, logger: captureLog().logger });
  health.addCheck('database', () => repository.ping());
  const server = await listen(buildApp(repository, {}, health).app);
  try {
    const res = await request(server.url).get('/readyz');
    return { status: res.status, body: res.body as { status: string; checks: Record<string, { status: string }> } };
  } finally {
    await server.close();
  }
}

for (const target of DATABASE_TARGETS) {
  describe(`database readiness on ${target}`, () => {
    it('is ready when the service can read its table', async () => {
      const res = await readiness(createSqlEntityRepository(testDatabase(target).db));
      expect(res.status).to.equal(200);
      expect(res.body.checks.database).to.include({ status: 'ok' });
    });

    it('is not ready when the table is missing', async () => {
      const { db } = testDatabase(target);
      await db.exec('alter table public.entities rename to entities_away');
      try {
        const res = await readiness(createSqlEntityRepository(db));
        expect(res.status).to.equal(503);
        expect(res.body).to.deep.include({ status: 'not_ready' });
        expect(res.body.checks.database).to.include({ status: 'error' });
      } finally {
        await db.exec('alter table public.entities_away rename to entities');
      }
    });
  });
}

describe('database readiness', () => {
  it('is not ready when the database refuses connections', async () => {
    const db = createPgClient({ connectionString: 'postgres://postgres@127.0.0.1:1/none', timeoutMs: 1000 });
    try {
      expect((await readiness(createSqlEntityRepository(db))).status).to.equal(503);
    } finally {
      await db.close();
    }
  });

  if (DATABASE_TARGETS.includes('postgres')) {
    it('is not ready when the service’s own credentials cannot read the table', async () => {
      // A login role that can connect but was granted nothing on the table: "connects" proves nothing.
      const role = `entities_nogrant_${randomBytes(4).toString('hex')}`;
      const { db: admin } = testDatabase('postgres');
      await admin.exec(`create role ${role} login`);
      const url = new URL(serverTestUrl());
      url.username = role;
      let db: SqlClient | undefined;
      try {
        db = createPgClient({ connectionString: url.toString() });
        const res = await readiness(createSqlEntityRepository(db));
        expect(res.status).to.equal(503);
        expect(res.body.checks.database).to.include({ status: 'error' });
      } finally {
        await db?.close();
        await admin.exec(`drop role ${role}`);
      }
    });
  }
});
