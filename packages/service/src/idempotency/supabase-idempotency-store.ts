import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { createError } from '@org/platform';
import {
  type IdempotencyKeyScope,
  type IdempotencyRecord,
  type IdempotencyStore,
  type IdempotencyUnit,
  type KeyedOutcome,
  type WithKeyOptions,
} from '@org/platform/idempotency';
import { checked } from '../entities/supabase-repository.js';
import { isEntityStoreUnavailable } from '../entities/repository.js';
import { deferringWrites, type DeferredWrites } from './deferred-writes.js';

/**
 * How long a claim holds a key against other processes, in seconds: a repeat meanwhile is 409.
 * A process that dies holding it blocks the key this long at most; a request that takes longer
 * loses its claim and records nothing.
 */
export const CLAIM_LEASE_SECONDS = 30;

interface ClaimRow {
  readonly outcome: 'claimed' | 'recorded' | 'in_flight';
  readonly fingerprint: string | null;
  readonly status: number | null;
  readonly headers: Record<string, string> | null;
  readonly body: string | null;
}

// A store call that failed: an unreachable Supabase is the contract's 503, anything else a 500
// (never PostgREST's own status: a SupabaseQueryError carries one, which no caller must see).
function storeError(error: unknown): never {
  if (isEntityStoreUnavailable(error)) throw createError('DATABASE_UNAVAILABLE', { cause: error });
  throw createError('INTERNAL_ERROR', { cause: error });
}

/**
 * The platform's {@link IdempotencyStore} on Supabase, where no transaction spans a request
 * (each supabase-js call is one PostgREST request): the key is claimed by a row with a lease
 * (`idempotency_claim`, a function of the migration: another process's repeat sees the claim
 * and is 409), the handler's write is deferred (the repository hands back the entity it will
 * insert), and the write and the record of the answer go to the database in one function call
 * (`idempotency_complete`), so a crash leaves neither or both. A handler that fails gives the
 * claim up (`idempotency_release`); a process that dies holding one lets it lapse after
 * {@link CLAIM_LEASE_SECONDS}.
 *
 * @example
 * const idempotency = createIdempotency({ store: createSupabaseIdempotencyStore(client), ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS });
 */
export function createSupabaseIdempotencyStore(client: SupabaseClient): IdempotencyStore {
  const names = (scope: IdempotencyKeyScope) => ({ p_caller: scope.caller, p_route: scope.route, p_key: scope.key });

  async function claim(scope: IdempotencyKeyScope, claimId: string, ttlSeconds: number): Promise<ClaimRow> {
    const result = checked(
      'idempotency claim',
      await client
        .rpc('idempotency_claim', {
          ...names(scope),
          p_claim: claimId,
          p_lease_seconds: CLAIM_LEASE_SECONDS,
          p_ttl_seconds: ttlSeconds,
        })
        .retry(false),
    );
    const row = (Array.isArray(result.data) ? result.data[0] : undefined) as ClaimRow | undefined;
    if (row === undefined) throw new Error('idempotency_claim returned no row');
    return row;
  }

  return {
    async withKey<T>(
      scope: IdempotencyKeyScope,
      options: WithKeyOptions,
      work: (unit: IdempotencyUnit) => Promise<T>,
    ): Promise<KeyedOutcome<T>> {
      const claimId = randomUUID();
      const claimed = await claim(scope, claimId, options.ttlSeconds).catch(storeError);
      if (claimed.outcome === 'in_flight') return { inFlight: true };
      if (claimed.outcome === 'recorded') {
        const recorded: IdempotencyRecord = {
          fingerprint: claimed.fingerprint!,
          status: claimed.status!,
          headers: claimed.headers ?? {},
          body: claimed.body ?? '',
        };
        // A replay or a refusal: nothing is claimed, nothing is written.
        const value = await work({
          recorded,
          record: () => Promise.reject(new Error('this key already has a record')),
        });
        return { inFlight: false, value };
      }
      const writes: DeferredWrites = { newEntity: undefined, afterCommit: [] };
      let recorded = false;
      let recordFailed: unknown;
      const release = (): Promise<void> =>
        Promise.resolve(client.rpc('idempotency_release', { ...names(scope), p_claim: claimId }).retry(false)).then(
          () => undefined,
          // The lease lapses anyway: a failed release only makes a retry wait for it.
          () => undefined,
        );
      let value: T;
      try {
        value = await deferringWrites(writes, () =>
          work({
            recorded: undefined,
            async record(record) {
              const args = {
                ...names(scope),
                p_claim: claimId,
                p_fingerprint: record.fingerprint,
                p_status: record.status,
                p_headers: record.headers,
                p_body: record.body,
                p_ttl_seconds: options.ttlSeconds,
                p_new_entity: writes.newEntity ?? null,
              };
              try {
                checked('idempotency complete', await client.rpc('idempotency_complete', args).retry(false));
              } catch (error) {
                recordFailed = error;
                throw error;
              }
              recorded = true;
              for (const after of writes.afterCommit.splice(0)) after();
            },
          }),
        );
      } catch (error) {
        if (!recorded) await release();
        // What the work throws is its own (a ServiceError the platform renders); the record's call is the store's.
        if (recordFailed === error) storeError(error);
        throw error;
      }
      // An answer that is not recorded (a 5xx) leaves nothing: its deferred writes are dropped.
      if (!recorded) await release();
      return { inFlight: false, value };
    },
    async purgeExpired(limit) {
      const result = checked(
        'idempotency purge',
        await client.rpc('idempotency_purge', { p_limit: limit }).retry(false),
      );
      return Number(result.data ?? 0);
    },
  };
}
