import { createError } from '../errors/codes.js';
import { isServiceError } from '../errors/service-error.js';
import type { Logger } from '../logging/logger.js';
import { countWriteOutcome } from '../observability/write-outcomes.js';
import { answerOfError, answerOfReply, type Answer, type HandlerReply } from './answer.js';
import { reachFaultPoint } from './faults.js';
import type { IdempotencyKeyScope, IdempotencyStore, RecordedAnswer } from './store.js';

/** Options of {@link createIdempotency}. */
export interface IdempotencyOptions {
  /** Where records live: the service's store, on the database its writes go to. */
  readonly store: IdempotencyStore;
  /** How long a record is kept (`IDEMPOTENCY_TTL_SECONDS`); an expired one counts as absent. @default 86400 */
  readonly ttlSeconds?: number;
  /** How often expired records are purged in the background, in ms. @default 600000 (10 minutes) */
  readonly purgeIntervalMs?: number;
  /** Records purged per statement; a purge repeats until fewer are left. @default 1000 */
  readonly purgeBatch?: number;
  /** Logs purges and their failures. @default nothing logged */
  readonly logger?: Logger;
}

/** One keyed request, as a route group hands it over. @internal */
export interface KeyedRequest {
  readonly scope: IdempotencyKeyScope;
  readonly fingerprint: string;
}

/** What a keyed request is answered. @internal */
export interface KeyedAnswer extends Answer {
  /** A recorded answer sent again (`Idempotent-Replayed: true`). */
  readonly replayed: boolean;
}

/**
 * Idempotency keys for the routes that opt in (`defineRoute({ idempotencyKey: 'optional' })`),
 * given to `createRouteGroup({ idempotency })`: the protocol around the service's
 * {@link IdempotencyStore}, and the background purge of expired records.
 */
export interface Idempotency {
  /** How long records are kept, in seconds. */
  readonly ttlSeconds: number;
  /**
   * Runs one keyed request: its replay, its refusal (409, 422), or its handler with the record of
   * its answer committed with its writes.
   * @internal
   */
  run(request: KeyedRequest, handler: () => Promise<HandlerReply>): Promise<KeyedAnswer>;
  /** Deletes every expired record now; resolves with how many. */
  purgeExpired(): Promise<number>;
  /** Starts the background purge: now, then every `purgeIntervalMs`, on a timer that never keeps the process alive. Idempotent. */
  start(): void;
  /** Stops the background purge and waits for a purge in progress (a lifecycle shutdown hook, before the store closes). Idempotent. */
  close(): Promise<void>;
}

/** Seconds a caller is told to wait before repeating a request whose first is still running. */
const IN_FLIGHT_RETRY_AFTER = '1';

// Answers recorded once the handler started (docs/contract.md "Retried writes"): success, and the
// 4xx the handler gives, except 409 and 429, which say "not now" rather than "no".
function recordable(status: number): boolean {
  return status < 500 && status !== 409 && status !== 429;
}

function inFlight(route: string): Error {
  countWriteOutcome('IDEMPOTENCY_KEY_IN_FLIGHT', route);
  return createError('IDEMPOTENCY_KEY_IN_FLIGHT', { headers: { 'Retry-After': IN_FLIGHT_RETRY_AFTER } });
}

// What the work under a claimed key ended with.
type Outcome = { readonly kind: 'answer'; readonly answer: KeyedAnswer } | { readonly kind: 'reused' };

/**
 * Creates the idempotency-key protocol over a service's store. For a request with an
 * `Idempotency-Key` on a route that opts in: the key is checked (1–255 visible ASCII characters,
 * else 400 `IDEMPOTENCY_KEY_INVALID`) and scoped to the caller and the route; the first request
 * runs its handler and records its answer (status, `Location`, `Content-Type`, `ETag`, body) in
 * the transaction of its writes; a repeat with the same method, route and canonical body gets the
 * recorded answer byte for byte with `Idempotent-Replayed: true`; another body is 422
 * `IDEMPOTENCY_KEY_REUSED`; a repeat while the first runs is 409 `IDEMPOTENCY_KEY_IN_FLIGHT`
 * with `Retry-After` (within the process without asking the store, across processes as the store
 * tells). Answers are recorded once the handler started: 2xx and its 4xx, not 409 or 429; a 5xx
 * or a crash records nothing and releases the key. Records expire after `ttlSeconds`, and are
 * purged in the background once {@link Idempotency.start} is called.
 *
 * @example
 * const idempotency = createIdempotency({ store, ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS, logger });
 * lifecycle.addStartupHook('idempotency_purge', () => idempotency.start());
 * lifecycle.addShutdownHook('idempotency_purge', () => idempotency.close());
 * const orders = createRouteGroup({ basePath: '/api/v1/orders', auth, idempotency, routes: [createOrder] });
 */
export function createIdempotency(options: IdempotencyOptions): Idempotency {
  const { store, logger } = options;
  const ttlSeconds = options.ttlSeconds ?? 86_400;
  const intervalMs = options.purgeIntervalMs ?? 600_000;
  const batch = options.purgeBatch ?? 1000;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
    throw new TypeError(`createIdempotency(): ttlSeconds must be a positive integer, got ${String(ttlSeconds)}`);
  if (!Number.isInteger(intervalMs) || intervalMs < 1)
    throw new TypeError(`createIdempotency(): purgeIntervalMs must be a positive integer, got ${String(intervalMs)}`);
  if (!Number.isInteger(batch) || batch < 1)
    throw new TypeError(`createIdempotency(): purgeBatch must be a positive integer, got ${String(batch)}`);
  // Keys being worked on in this process: a repeat is refused at once, without a database round
  // trip, and never queues behind the first on a one-connection store (PGlite).
  const running = new Set<string>();

  async function run(request: KeyedRequest, handler: () => Promise<HandlerReply>): Promise<KeyedAnswer> {
    const { scope, fingerprint } = request;
    const id = `${scope.caller}\n${scope.route}\n${scope.key}`;
    if (running.has(id)) throw inFlight(scope.route);
    running.add(id);
    try {
      const outcome = await store.withKey<Outcome>(scope, { ttlSeconds }, async (unit) => {
        const recorded = unit.recorded;
        if (recorded !== undefined) {
          if (recorded.fingerprint !== fingerprint) return { kind: 'reused' };
          return { kind: 'answer', answer: replay(recorded) };
        }
        reachFaultPoint('claimed');
        let answer: Answer;
        try {
          answer = answerOfReply(await handler());
        } catch (error) {
          if (!isServiceError(error) || !recordable(error.status)) throw error;
          answer = answerOfError(error);
        }
        // A reply that is not recorded (a 5xx the handler returned) leaves its writes uncommitted.
        if (!recordable(answer.recorded.status)) return { kind: 'answer', answer: { ...answer, replayed: false } };
        reachFaultPoint('handled');
        await unit.record({ ...answer.recorded, fingerprint });
        reachFaultPoint('recorded');
        return { kind: 'answer', answer: { ...answer, replayed: false } };
      });
      if (outcome.inFlight) throw inFlight(scope.route);
      const { value } = outcome;
      if (value.kind === 'reused') {
        countWriteOutcome('IDEMPOTENCY_KEY_REUSED', scope.route);
        throw createError('IDEMPOTENCY_KEY_REUSED');
      }
      if (value.answer.replayed) countWriteOutcome('replay', scope.route);
      else reachFaultPoint('committed');
      return value.answer;
    } finally {
      running.delete(id);
    }
  }

  function replay(recorded: RecordedAnswer): KeyedAnswer {
    return { recorded, headers: recorded.headers, replayed: true };
  }

  async function purgeExpired(): Promise<number> {
    let total = 0;
    for (;;) {
      const purged = await store.purgeExpired(batch);
      total += purged;
      if (purged < batch) return total;
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let purging: Promise<void> | undefined;
  let closed = false;
  function purgeInBackground(): void {
    if (purging !== undefined || closed) return;
    purging = purgeExpired()
      .then(
        (purged) => {
          if (purged > 0) logger?.info('idempotency_records_purged', { purged });
        },
        (error: unknown) =>
          logger?.warn('idempotency_purge_failed', { error: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        purging = undefined;
      });
  }

  return {
    ttlSeconds,
    run,
    purgeExpired,
    start() {
      if (timer !== undefined || closed) return;
      timer = setInterval(purgeInBackground, intervalMs);
      timer.unref();
      purgeInBackground();
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await purging;
    },
  };
}
