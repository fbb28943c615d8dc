// The sample service's entities on a PostgreSQL database of the bench's own: created for a
// section, seeded over HTTP or in bulk by SQL, and dropped afterwards.
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { createTestKeyPair, signSessionToken } from '@org/platform/testing';
import { countPerUnit, drive, startUnderCallgrind } from './callgrind.mjs';

export const ENTITY_BODY = JSON.stringify({ title: 'A benchmark entity', description: 'Created by the benchmark.' });

/** Creates a database `bench_<purpose>_*` on the server of `adminUrl`; `drop()` removes it (forcing out connections). */
export async function scratchDatabase(adminUrl, purpose) {
  const name = `bench_${purpose}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } catch (error) {
    await admin.end();
    throw error;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.href,
    async drop() {
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** One statement on a database of the bench, on a connection of its own: `{ rows }`. */
export async function queryOnce(databaseUrl, text, params = []) {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

/** Creates `count` entities through the API, as `authorization`. */
export async function seedOverHttp(baseUrl, authorization, count) {
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${baseUrl}/api/v1/entities`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: ENTITY_BODY,
    });
    if (response.status !== 201) throw new Error(`seeding answered ${response.status}: ${await response.text()}`);
  }
}

/**
 * Inserts `count` entities of `ownerId` in one statement (one a millisecond apart, newest now),
 * then VACUUM ANALYZE, as a table of that size would be after autovacuum. The migration's
 * triggers count them. Resolves with the time it took.
 */
export async function insertInBulk(databaseUrl, ownerId, count) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = performance.now();
  try {
    await client.query(
      "insert into public.entities (title, description, owner_id, created_at) select 'Entity ' || i, 'Made in bulk by the benchmark.', $1, now() - i * interval '1 millisecond' from generate_series(1, $2::int) i",
      [ownerId, count],
    );
    await client.query('vacuum analyze public.entities');
    return performance.now() - started;
  } finally {
    await client.end();
  }
}

/** The position (creation time to the microsecond, id) of the row `offset` rows down `ownerId`'s listing. */
export async function positionAt(databaseUrl, ownerId, offset) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at, id from public.entities where owner_id = $1 order by created_at desc, id desc offset $2 limit 1`,
      [ownerId, offset],
    );
    if (rows[0] === undefined) throw new Error(`${ownerId} has no row at offset ${offset}`);
    return { createdAt: rows[0].created_at, id: rows[0].id };
  } finally {
    await client.end();
  }
}

/**
 * Instructions per `GET /api/v1/entities` (a page of 20 of 25, with auth) of the sample service
 * (servers/entities-service.mjs) on a scratch database, under callgrind: `{ mean, rounds }` of
 * countPerUnit. User-space instructions of the service process only, PostgreSQL's are not in it.
 */
export async function countEntitiesList(adminUrl) {
  const keys = createTestKeyPair();
  const authorization = `Bearer ${signSessionToken(keys, { userId: 'user_bench_reader' }, { expiresIn: 3600 })}`;
  const database = await scratchDatabase(adminUrl, 'callgrind');
  try {
    const env = {
      ENVIRONMENT: 'staging',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      CORS_ORIGINS: 'https://app.example.com',
      CLERK_JWT_KEY: keys.publicKeyPem,
      DATABASE_URL: database.url,
    };
    const target = await startUnderCallgrind(new URL('./servers/entities-service.mjs', import.meta.url).pathname, env);
    try {
      await seedOverHttp(target.url, authorization, 25);
      return await countPerUnit(target, (count) =>
        drive(`${target.url}/api/v1/entities`, { amount: count, connections: 4, headers: { authorization } }),
      );
    } finally {
      await target.stop();
    }
  } finally {
    await database.drop();
  }
}
