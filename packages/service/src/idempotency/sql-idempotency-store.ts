import { createHash } from 'node:crypto';
import { createError } from '@org/platform';
import {
  type IdempotencyKeyScope,
  type IdempotencyRecord,
  type IdempotencyStore,
  type IdempotencyUnit,
  type KeyedOutcome,
  type WithKeyOptions,
} from '@org/platform/idempotency';
import type { SqlClient, SqlQueryable } from '../db/sql-client.js';
import { isSqlUnavailableError } from '../db/unavailable.js';
import { deferringWrites, type DeferredWrites } from './deferred-writes.js';

type Row = Record<string, unknown>;

/** A fixed statement text and the name it is prepared under (once per connection). */
interface Statement {
  readonly name: string;
  readonly text: string;
}

// The key's lock, taken without waiting, and its live record, in one round trip. The record is read
// in the statement's snapshot, which may predate the lock: a first request that committed in
// between is caught by the record's primary key when this one records (see COMPLETE).
const CLAIM: Statement = {
  name: 'idempotency_claim_session',
  text: `select pg_try_advisory_lock($1::bigint) as held, r.fingerprint, r.status, r.headers, r.body
    from (select 1) as one left join public.idempotency_keys r
      on r.caller = $2 and r.route = $3 and r.key = $4 and r.status is not null and r.expires_at > now()`,
};
// The record and the write it describes in one statement (one transaction), and the lock given
// back. The new entity is inserted only when the record was (a live record of another request
// wins: `recorded` is then false, nothing is written). An expired record is replaced.
const COMPLETE: Statement = {
  name: 'idempotency_complete_session',
  text: `with recorded as (
      insert into public.idempotency_keys as k (caller, route, key, fingerprint, status, headers, body, expires_at)
      values ($1, $2, $3, $4, $5, $6::jsonb, $7, now() + make_interval(secs => $8))
      on conflict on constraint idempotency_keys_pkey do update set fingerprint = excluded.fingerprint, status = excluded.status,
        headers = excluded.headers, body = excluded.body, claim = null, claimed_until = null, created_at = now(), expires_at = excluded.expires_at
        where k.expires_at <= now()
      returning 1
    ), created as (
      insert into public.entities (id, title, description, owner_id, created_at, updated_at)
      select (n.e ->> 'id')::uuid, n.e ->> 'title', n.e ->> 'description', n.e ->> 'owner_id', (n.e ->> 'created_at')::timestamptz, (n.e ->> 'updated_at')::timestamptz
      from (select $9::jsonb as e) n cross join recorded where n.e is not null
      returning 1
    )
    select exists (select 1 from recorded) as recorded, pg_advisory_unlock($10::bigint) as unlocked`,
};
const UNLOCK: Statement = {
  name: 'idempotency_unlock_session',
  text: 'select pg_advisory_unlock($1::bigint) as unlocked',
};
const LIVE_RECORD: Statement = {
  name: 'idempotency_live_record',
  text: 'select fingerprint, status, headers, body from public.idempotency_keys where caller = $1 and route = $2 and key = $3 and status is not null and expires_at > now()',
};
const PURGE = 'select public.idempotency_purge($1) as purged';

/** The advisory lock of a key: 64 bits of a SHA-256 of caller, route and key, as PostgreSQL's bigint. */
function lockOf(scope: IdempotencyKeyScope): string {
  const digest = createHash('sha256').update(`${scope.caller}\n${scope.route}\n${scope.key}`).digest();
  return digest.readBigInt64BE(0).toString();
}

function recordOf(row: Row): IdempotencyRecord {
  // jsonb comes back parsed from `pg` and PGlite; text from a driver that does not parse is read too.
  const headers =
    typeof row.headers === 'string'
      ? (JSON.parse(row.headers) as Record<string, string>)
      : (row.headers as Record<string, string>);
  return { fingerprint: String(row.fingerprint), status: Number(row.status), headers, body: String(row.body) };
}

// The store's own statements: an unreachable database is the contract's 503, anything else a 500
// whose cause is logged.
function storeError(error: unknown): never {
  throw createError(isSqlUnavailableError(error) ? 'DATABASE_UNAVAILABLE' : 'INTERNAL_ERROR', { cause: error });
}

/** The record was written by another request between this one's claim and its completion. */
class RecordedMeanwhile extends Error {
  override readonly name = 'RecordedMeanwhile';
}

/**
 * The platform's {@link IdempotencyStore} on PostgreSQL or PGlite, in two round trips for a first
 * request:
 *
 * 1. on a connection of its own, `pg_try_advisory_lock` on the key (never waited for: held by a
 *    request in another process, the key is in flight) and the key's live record;
 * 2. the handler runs; its create is deferred (the repository makes the whole row and hands back
 *    the entity it will be), and one statement inserts the record and that row together and gives
 *    the lock back. A statement is one transaction: a crash at any point leaves both or neither.
 *
 * The lock is the connection's (a session lock): if the process dies, the server drops it with
 * the connection, so a retry after a crash runs at once. A first request that recorded between
 * this one's read and its insert wins by the record's primary key, and this one replays its
 * answer. Within one process (PGlite's only connection included) the platform refuses a repeat in
 * flight before it gets here. Only a create can be part of a keyed request (the sample's one keyed
 * route): the repository refuses an update or delete inside one.
 *
 * @example
 * const db = createPgClient({ connectionString });
 * const idempotency = createIdempotency({ store: createSqlIdempotencyStore(db), ttlSeconds: 86_400 });
 */
export function createSqlIdempotencyStore(db: SqlClient): IdempotencyStore {
  async function unlock(connection: SqlQueryable, lock: string): Promise<void> {
    await connection.query(UNLOCK.text, [lock], { name: UNLOCK.name });
  }

  return {
    async withKey<T>(
      scope: IdempotencyKeyScope,
      options: WithKeyOptions,
      work: (unit: IdempotencyUnit) => Promise<T>,
    ): Promise<KeyedOutcome<T>> {
      const lock = lockOf(scope);
      const key = [scope.caller, scope.route, scope.key];
      // What the work throws is its own (a ServiceError the platform renders): passed on as it is.
      let thrownByWork: unknown;
      try {
        return await db.session(async (connection) => {
          const [claimed] = await connection.query<Row>(CLAIM.text, [lock, ...key], { name: CLAIM.name });
          if (claimed?.held !== true) return { inFlight: true } as const;
          let unlocked = false;
          try {
            const writes: DeferredWrites = { newEntity: undefined, afterCommit: [] };
            const run = (recorded: IdempotencyRecord | undefined): Promise<T> =>
              deferringWrites(writes, () =>
                work({
                  recorded,
                  async record(record) {
                    const [done] = await connection
                      .query<Row>(
                        COMPLETE.text,
                        [
                          ...key,
                          record.fingerprint,
                          record.status,
                          JSON.stringify(record.headers),
                          record.body,
                          options.ttlSeconds,
                          writes.newEntity === undefined ? null : JSON.stringify(writes.newEntity),
                          lock,
                        ],
                        { name: COMPLETE.name },
                      )
                      .catch(storeError);
                    unlocked = true;
                    if (done?.recorded !== true)
                      throw new RecordedMeanwhile('another request recorded this key meanwhile');
                    for (const after of writes.afterCommit.splice(0)) after();
                  },
                }),
              ).catch((error: unknown) => {
                thrownByWork = error;
                throw error;
              });
            try {
              return {
                inFlight: false,
                value: await run(
                  claimed.status === null || claimed.status === undefined ? undefined : recordOf(claimed),
                ),
              } as const;
            } catch (error) {
              if (!(error instanceof RecordedMeanwhile)) throw error;
              // Its answer is the one: replayed (or refused, for another body); this handler's write was never made.
              thrownByWork = undefined;
              const [live] = await connection.query<Row>(LIVE_RECORD.text, key, { name: LIVE_RECORD.name });
              if (live === undefined) throw error;
              writes.newEntity = undefined;
              writes.afterCommit.length = 0;
              return { inFlight: false, value: await run(recordOf(live)) } as const;
            }
          } finally {
            // A failed unlock fails the session, whose connection (and lock) is then dropped.
            if (!unlocked) await unlock(connection, lock);
          }
        });
      } catch (error) {
        if (thrownByWork !== undefined && thrownByWork === error) throw error;
        return storeError(error);
      }
    },
    async purgeExpired(limit) {
      const [row] = await db.query<{ purged: number }>(PURGE, [limit]).catch(storeError);
      return Number(row?.purged ?? 0);
    },
  };
}
