/** What the first request with a key was answered: replayed byte for byte to every repeat. */
export interface RecordedAnswer {
  /** The status code. */
  readonly status: number;
  /** The headers that matter for a replay (`location`, `content-type`, `etag`), lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body exactly as it was sent; `''` for none. */
  readonly body: string;
}

/** A recorded answer and what it answered: the fingerprint (method, route, hash of the canonical body) of the first request. */
export interface IdempotencyRecord extends RecordedAnswer {
  readonly fingerprint: string;
}

/** Whose key it is and where it was used: a key belongs to one caller on one route. */
export interface IdempotencyKeyScope {
  /** The caller's user id (the principal's `userId`). */
  readonly caller: string;
  /** The route template, method first: `POST /api/v1/entities`. */
  readonly route: string;
  /** The `Idempotency-Key` value. */
  readonly key: string;
}

/** What {@link IdempotencyStore.withKey} hands to the work it runs under a claimed key. */
export interface IdempotencyUnit {
  /** The key's live record (an expired one counts as absent), or `undefined` for a first request. */
  readonly recorded: IdempotencyRecord | undefined;
  /**
   * Writes the record of the answer, in the same transaction as everything the work wrote (a
   * store may commit both right here, in one statement). A work that resolves without recording,
   * or throws before it, leaves nothing.
   */
  record(record: IdempotencyRecord): Promise<void>;
}

/** How {@link IdempotencyStore.withKey} ended: the work's value, or at once, because the key is held elsewhere. */
export type KeyedOutcome<T> = { readonly inFlight: true } | { readonly inFlight: false; readonly value: T };

/** Options of one {@link IdempotencyStore.withKey} call. */
export interface WithKeyOptions {
  /** How long the record lives from now (`IDEMPOTENCY_TTL_SECONDS`). */
  readonly ttlSeconds: number;
}

/**
 * The port a service's store implements on its own database, so that the record of an answer
 * commits in the same transaction as the write it describes (a crash at any point leaves either
 * both or neither). The platform owns the protocol around it (key checks, fingerprints, replays,
 * 409 and 422); the store owns the transaction and the in-flight test across processes.
 *
 * `withKey(scope, options, work)`:
 * - claims the key without waiting: when another request holds it (in another process: an
 *   advisory transaction lock on PostgreSQL, a lease row where there are no transactions), it
 *   resolves `{ inFlight: true }` at once;
 * - otherwise reads the key's live record and runs `work(unit)` so that every write the work makes
 *   through the service's store is committed together with the record (a transaction the
 *   repository's statements join, or writes the unit defers to the statement that records);
 * - commits the work's writes and the record together when `work` records (`unit.record()`,
 *   at the latest when it resolves); writes nothing when it throws or resolves without recording.
 *
 * `purgeExpired(limit)` deletes up to `limit` records that expired, and resolves with how many.
 *
 * The platform's `createMemoryIdempotencyStore()` (`@org/platform/testing`) is for tests only:
 * it shares no transaction with anything.
 *
 * @example
 * const idempotency = createIdempotency({ store: createSqlIdempotencyStore(db), ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS, logger });
 */
export interface IdempotencyStore {
  withKey<T>(
    scope: IdempotencyKeyScope,
    options: WithKeyOptions,
    work: (unit: IdempotencyUnit) => Promise<T>,
  ): Promise<KeyedOutcome<T>>;
  purgeExpired(limit: number): Promise<number>;
}
