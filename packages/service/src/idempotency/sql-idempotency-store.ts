import { createError, type IdempotencyKeyScope, type IdempotencyRecord, type IdempotencyStore, type IdempotencyUnit, type KeyedOutcome, type WithKeyOptions } from '@org/platform';
import type { AmbientSqlClient } from '../db/ambient-transaction.js';
import { isSqlUnavailableError } from '../db/unavailable.js';

type Row = Record<string, unknown>;

// Never the key in the lock's name alone: the same key of another caller or route is another key.
const LOCK = 'select pg_try_advisory_xact_lock(hashtextextended($1 || chr(10) || $2 || chr(10) || $3, 0)) as held';
const LIVE_RECORD = `select fingerprint, status, headers, body from public.idempotency_keys
  where caller = $1 and route = $2 and key = $3 and status is not null and expires_at > now()`;
// Any row left for this key is expired (a live one would have been replayed): it is replaced.
const RECORD = `insert into public.idempotency_keys as k (caller, route, key, fingerprint, status, headers, body, expires_at)
  values ($1, $2, $3, $4, $5, $6::jsonb, $7, now() + make_interval(secs => $8))
  on conflict on constraint idempotency_keys_pkey do update set fingerprint = excluded.fingerprint, status = excluded.status,
    headers = excluded.headers, body = excluded.body, claim = null, claimed_until = null, created_at = now(), expires_at = excluded.expires_at`;
const PURGE = 'select public.idempotency_purge($1) as purged';

/** Thrown inside the transaction to roll back a unit that recorded nothing; carries its value out. */
class Unrecorded<T> extends Error {
  constructor(readonly value: T) {
    super('the keyed request recorded nothing: its writes are rolled back');
  }
}

function recordOf(row: Row): IdempotencyRecord {
  // jsonb comes back parsed from `pg`, as text from some drivers: both are read.
  const headers = typeof row.headers === 'string' ? (JSON.parse(row.headers) as Record<string, string>) : (row.headers as Record<string, string>);
  return { fingerprint: String(row.fingerprint), status: Number(row.status), headers, body: String(row.body) };
}

// The store's own statements (claim, read, record, commit): an unreachable database is the
// contract's 503, anything else a 500 whose cause is logged.
function unavailable(error: unknown): never {
  throw createError(isSqlUnavailableError(error) ? 'DATABASE_UNAVAILABLE' : 'INTERNAL_ERROR', { cause: error });
}

/**
 * The platform's {@link IdempotencyStore} on PostgreSQL or PGlite: one transaction per keyed
 * request, holding an advisory transaction lock on the key (`pg_try_advisory_xact_lock`, never
 * waited for: a key held by a request of another process is in flight), in which the live
 * record is read, the handler's writes are made (the repository's statements join it through
 * `db`'s ambient transaction) and the record is written. Commit puts both in the database at
 * once; a crash or a failure at any point leaves neither. Within one process (PGlite's only
 * connection included) the platform refuses a repeat in flight before it gets here.
 *
 * @example
 * const db = withAmbientTransactions(createPgClient({ connectionString }));
 * const idempotency = createIdempotency({ store: createSqlIdempotencyStore(db), ttlSeconds: 86_400 });
 */
export function createSqlIdempotencyStore(db: AmbientSqlClient): IdempotencyStore {
  return {
    async withKey<T>(scope: IdempotencyKeyScope, options: WithKeyOptions, work: (unit: IdempotencyUnit) => Promise<T>): Promise<KeyedOutcome<T>> {
      const key = [scope.caller, scope.route, scope.key];
      // What the work throws is its own (a ServiceError the platform renders): passed on as it is.
      let thrownByWork: { error: unknown } | undefined;
      try {
        return await db.withTransaction(async (tx) => {
          const [lock] = await tx.query<{ held: boolean }>(LOCK, key);
          if (lock?.held !== true) return { inFlight: true } as const;
          const [found] = await tx.query<Row>(LIVE_RECORD, key);
          let recorded = false;
          const value = await work({
            recorded: found === undefined ? undefined : recordOf(found),
            async record(record) {
              await tx.query(RECORD, [...key, record.fingerprint, record.status, JSON.stringify(record.headers), record.body, options.ttlSeconds]).catch(unavailable);
              recorded = true;
            },
          }).catch((error: unknown) => {
            thrownByWork = { error };
            throw error;
          });
          if (!recorded) throw new Unrecorded(value);
          return { inFlight: false, value } as const;
        });
      } catch (error) {
        if (error instanceof Unrecorded) return { inFlight: false, value: error.value as T };
        if (thrownByWork !== undefined && thrownByWork.error === error) throw error;
        return unavailable(error);
      }
    },
    async purgeExpired(limit) {
      const [row] = await db.query<{ purged: number }>(PURGE, [limit]).catch(unavailable);
      return Number(row?.purged ?? 0);
    },
  };
}
