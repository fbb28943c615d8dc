import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { deferredWrites, refuseInKeyedRequest } from '../idempotency/deferred-writes.js';
import {
  ENTITY_COLUMNS,
  toEntity,
  type EntityChanges,
  type ExpectedVersion,
  type NewEntity,
  type PageRequest,
  type StoredPage,
  type VersionedEntity,
  type WriteRefusal,
} from './entity.js';
import { positionOf } from './position.js';
import { EntityStoreUnavailableError, type EntityRepository } from './repository.js';

const COLUMNS = ENTITY_COLUMNS.join(',');
const VERSIONED = `${COLUMNS},version`;
const TABLE = 'entities';
// PostgREST answers 416 / PGRST103 to an offset past the end of the rows.
const RANGE_NOT_SATISFIABLE = 'PGRST103';
// Status 0 is supabase-js's "fetch failed"; gateway statuses mean PostgREST or its database is down.
const UNAVAILABLE_STATUSES = new Set([0, 502, 503, 504, 520, 522, 523, 524]);

type Row = Record<string, unknown>;

interface PostgrestResult {
  readonly data: unknown;
  readonly error: { readonly code?: string; readonly message?: string } | null;
  readonly status: number;
  readonly count?: number | null;
}

/**
 * A PostgREST error that is not a reachability problem (bad key, missing table, constraint).
 *
 * @example
 * if (error instanceof SupabaseQueryError && error.status === 401) logger.error('supabase_key_rejected');
 */
export class SupabaseQueryError extends Error {
  override readonly name = 'SupabaseQueryError';
  /** PostgREST or PostgreSQL error code. */
  readonly code: string | undefined;
  /** HTTP status PostgREST answered with. */
  readonly status: number;

  constructor(operation: string, result: PostgrestResult) {
    super(
      `supabase ${operation} failed with status ${result.status}${result.error?.code === undefined ? '' : ` (${result.error.code})`}`,
    );
    this.code = result.error?.code;
    this.status = result.status;
  }
}

/**
 * Throws the right error for a failed PostgREST result ({@link EntityStoreUnavailableError} when
 * it could not be reached, {@link SupabaseQueryError} otherwise); returns it when it succeeded.
 *
 * @example
 * const result = checked('get', await client.from('entities').select('id').retry(false));
 */
export function checked<R extends PostgrestResult>(operation: string, result: R): R {
  if (result.error === null) return result;
  if (UNAVAILABLE_STATUSES.has(result.status)) {
    throw new EntityStoreUnavailableError(
      `supabase ${operation}: the database cannot be reached (status ${result.status})`,
      { cause: new SupabaseQueryError(operation, result) },
    );
  }
  throw new SupabaseQueryError(operation, result);
}

function rows(data: unknown): Row[] {
  return Array.isArray(data) ? (data as Row[]) : [];
}

function versioned(row: Row): VersionedEntity {
  return { entity: toEntity(row), version: Number(row.version) };
}

/**
 * The {@link EntityRepository} over Supabase (PostgREST) with `@supabase/supabase-js` and the
 * service-role key: every query filters on `owner_id` itself (the service role bypasses RLS). Each
 * query runs with `.retry(false)`: postgrest-js would otherwise retry reads for up to 7 s, longer
 * than a request or a readiness check may take.
 *
 * @example
 * const client = createClient(config.SUPABASE_URL, config.SUPABASE_SERVICE_KEY, { auth: { persistSession: false }, realtime: { transport: ws } });
 * const repository = createSupabaseEntityRepository(client);
 */
export function createSupabaseEntityRepository(client: SupabaseClient): EntityRepository {
  const table = () => client.from(TABLE);

  // The owner's row, and only at an expected version when there are any.
  function filtered<
    Q extends { eq(column: string, value: string): Q; in(column: string, values: readonly number[]): Q },
  >(query: Q, ownerId: string, id: string, versions: readonly number[] | undefined): Q {
    const owned = query.eq('id', id).eq('owner_id', ownerId);
    return versions === undefined ? owned : owned.in('version', versions);
  }

  // A compare-and-set that changed nothing: a stale version when the row is there, else not found.
  async function refusal(ownerId: string, id: string): Promise<WriteRefusal> {
    const result = checked('get', await table().select('id').eq('id', id).eq('owner_id', ownerId).retry(false));
    return rows(result.data).length > 0 ? 'stale' : 'not_found';
  }

  async function count(ownerId: string): Promise<number> {
    const result = checked(
      'count',
      await table().select('id', { count: 'exact', head: true }).eq('owner_id', ownerId).retry(false),
    );
    return result.count ?? 0;
  }

  return {
    async create(ownerId: string, entity: NewEntity): Promise<VersionedEntity> {
      // Within a keyed request the insert waits for the record of its answer (one function call
      // writes both): the row is made here, whole, and handed back as it will be stored.
      const deferred = deferredWrites();
      if (deferred !== undefined) {
        if (deferred.newEntity !== undefined) throw new Error('a keyed request on Supabase creates one entity at most');
        const now = new Date().toISOString();
        const row = {
          id: randomUUID(),
          title: entity.title,
          description: entity.description,
          owner_id: ownerId,
          created_at: now,
          updated_at: now,
        };
        deferred.newEntity = row;
        return { entity: toEntity(row), version: 1 };
      }
      const result = checked(
        'insert',
        await table()
          .insert({ title: entity.title, description: entity.description, owner_id: ownerId })
          .select(VERSIONED)
          .retry(false),
      );
      const row = rows(result.data)[0];
      if (row === undefined) throw new Error('entity insert returned no row');
      return versioned(row);
    },

    async list(ownerId: string, page: PageRequest): Promise<StoredPage> {
      // One row more than the page tells whether another follows. After a position the page
      // starts with a keyset filter on (created_at, id); the filtered query's count would be the
      // rows after it, so the owner's total comes from its own count.
      const query = table()
        .select(COLUMNS, page.after === undefined ? { count: 'exact' } : {})
        .eq('owner_id', ownerId);
      const { after } = page;
      const ordered = (
        after === undefined
          ? query
          : query.or(`created_at.lt.${after.createdAt},and(created_at.eq.${after.createdAt},id.lt.${after.id})`)
      )
        .order('created_at', { ascending: false })
        .order('id', { ascending: false });
      const [result, total] = await Promise.all([
        (after === undefined
          ? ordered.range(page.offset, page.offset + page.limit)
          : ordered.limit(page.limit + 1)
        ).retry(false),
        after === undefined ? undefined : count(ownerId),
      ]);
      if (result.error?.code === RANGE_NOT_SATISFIABLE) return { data: [], count: await count(ownerId), next: null };
      checked('list', result);
      const listed = rows(result.data);
      const data = listed.slice(0, page.limit);
      return {
        data: data.map(toEntity),
        count: total ?? result.count ?? 0,
        next: listed.length > page.limit ? positionOf(data[data.length - 1]!, 'created_at') : null,
      };
    },

    async get(ownerId: string, id: string): Promise<VersionedEntity | undefined> {
      const result = checked('get', await table().select(VERSIONED).eq('id', id).eq('owner_id', ownerId).retry(false));
      const row = rows(result.data)[0];
      return row === undefined ? undefined : versioned(row);
    },

    async update(
      ownerId: string,
      id: string,
      changes: EntityChanges,
      expected?: ExpectedVersion,
    ): Promise<VersionedEntity | WriteRefusal> {
      refuseInKeyedRequest('update');
      const versions = expected === undefined || expected === 'any' ? undefined : expected;
      // PostgREST runs one UPDATE with every filter: the version is compared by the write itself.
      const result =
        versions?.length === 0
          ? undefined
          : checked(
              'update',
              await filtered(table().update({ ...changes }), ownerId, id, versions)
                .select(VERSIONED)
                .retry(false),
            );
      const row = rows(result?.data)[0];
      if (row !== undefined) return versioned(row);
      return versions === undefined ? 'not_found' : refusal(ownerId, id);
    },

    async delete(ownerId: string, id: string, expected?: ExpectedVersion): Promise<'deleted' | WriteRefusal> {
      refuseInKeyedRequest('delete');
      const versions = expected === undefined || expected === 'any' ? undefined : expected;
      const result =
        versions?.length === 0
          ? undefined
          : checked('delete', await filtered(table().delete(), ownerId, id, versions).select('id').retry(false));
      if (rows(result?.data).length > 0) return 'deleted';
      return versions === undefined ? 'not_found' : refusal(ownerId, id);
    },

    async ping(): Promise<void> {
      // A GET read of the table with the configured key: a wrong key (401) or a missing table
      // (404) fails here, so readiness proves what requests need. Not HEAD: postgrest-js reads a
      // bodiless 404 as success.
      checked('ping', await table().select('id').limit(1).retry(false));
    },
  };
}
