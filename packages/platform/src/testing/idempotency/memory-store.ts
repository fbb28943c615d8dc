import type {
  IdempotencyKeyScope,
  IdempotencyRecord,
  IdempotencyStore,
  IdempotencyUnit,
  KeyedOutcome,
  WithKeyOptions,
} from '../../idempotency/store.js';

/** Options of {@link createMemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** The clock records expire by, in ms. @default Date.now */
  readonly now?: () => number;
}

/** The in-memory store, and what a test may look at. */
export interface MemoryIdempotencyStore extends IdempotencyStore {
  /** Records kept now, expired ones included until purged. */
  size(): number;
}

/**
 * An `IdempotencyStore` (of `@org/platform`) in this process's memory, **for tests only**: it shares no
 * transaction with the service's writes, so a crash between a write and its record would lose
 * the record. Two apps given the same store see each other's keys in flight, as two processes
 * on one database would.
 *
 * @example
 * const idempotency = createIdempotency({ store: createMemoryIdempotencyStore() });
 * const orders = createRouteGroup({ basePath: '/api/v1/orders', auth, idempotency, routes: [createOrder] });
 */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): MemoryIdempotencyStore {
  const now = options.now ?? Date.now;
  const records = new Map<string, { readonly record: IdempotencyRecord; readonly expiresAt: number }>();
  const held = new Set<string>();
  const idOf = (scope: IdempotencyKeyScope): string => JSON.stringify([scope.caller, scope.route, scope.key]);
  return {
    async withKey<T>(
      scope: IdempotencyKeyScope,
      { ttlSeconds }: WithKeyOptions,
      work: (unit: IdempotencyUnit) => Promise<T>,
    ): Promise<KeyedOutcome<T>> {
      const id = idOf(scope);
      if (held.has(id)) return { inFlight: true };
      held.add(id);
      try {
        const kept = records.get(id);
        let written: IdempotencyRecord | undefined;
        const value = await work({
          recorded: kept !== undefined && kept.expiresAt > now() ? kept.record : undefined,
          record: (record) => {
            written = record;
            return Promise.resolve();
          },
        });
        // Kept only once the work resolved: a throw after record() leaves nothing, as a rollback would.
        if (written !== undefined) records.set(id, { record: written, expiresAt: now() + ttlSeconds * 1000 });
        return { inFlight: false, value };
      } finally {
        held.delete(id);
      }
    },
    purgeExpired(limit) {
      let purged = 0;
      for (const [id, kept] of records) {
        if (purged >= limit) break;
        if (kept.expiresAt <= now()) {
          records.delete(id);
          purged += 1;
        }
      }
      return Promise.resolve(purged);
    },
    size: () => records.size,
  };
}
