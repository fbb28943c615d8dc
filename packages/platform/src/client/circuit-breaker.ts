import { CircuitState, circuitBreaker, handleWhen, isBrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import type { Logger } from '../logging/logger.js';
import { UpstreamError } from './errors.js';
import { createWindowBreaker } from './window-breaker.js';

/** State of one origin's breaker. */
export type CircuitBreakerState = 'closed' | 'open' | 'half-open';

/** Options of {@link createCircuitBreakerRegistry}; every breaker of the registry uses them. */
export interface CircuitBreakerOptions {
  /** Failures within `windowMs` that open the circuit. @default 5 */
  readonly threshold?: number;
  /** Sliding window for counting failures, in ms. @default 60000 */
  readonly windowMs?: number;
  /** Cool-down before one trial call is let through, in ms. @default 30000 */
  readonly halfOpenAfterMs?: number;
}

/** The breaker of one upstream origin. */
export interface CircuitBreaker {
  readonly origin: string;
  readonly state: CircuitBreakerState;
  /**
   * Runs one attempt. Rejects with a 503 `CIRCUIT_OPEN` {@link UpstreamError} without calling
   * `attempt` while open, and while another call is the half-open trial. A rejected attempt
   * counts as a failure (4xx answers resolve, so they never count); a resolved one is a success.
   * State changes are logged through `logger`, the logger of the call that caused them.
   */
  execute<T>(attempt: () => Promise<T>, logger: Logger): Promise<T>;
}

/** Breakers by origin. */
export interface CircuitBreakerRegistry {
  /** The breaker of `origin` (`scheme://host:port`), made on first use. */
  get(origin: string): CircuitBreaker;
}

/**
 * Marks an error an attempt throws that must not count as an upstream failure (the caller
 * aborted). @internal
 */
export const NOT_A_FAILURE = Symbol('not an upstream failure');

function countsAsFailure(error: Error): boolean {
  return (error as Error & { [NOT_A_FAILURE]?: true })[NOT_A_FAILURE] !== true;
}

const STATE_NAMES: Record<CircuitState, CircuitBreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  // Isolation is never used by the platform; an isolated circuit behaves as open.
  [CircuitState.Isolated]: 'open',
};

function createBreaker(origin: string, options: Required<CircuitBreakerOptions>): CircuitBreaker {
  // A trial the caller abandoned taught us nothing, so it reopens the circuit for another
  // cool-down (cockatiel would otherwise treat an unhandled error in half-open as a success).
  const policy: CircuitBreakerPolicy = circuitBreaker(
    handleWhen((error) => countsAsFailure(error) || policy.state === CircuitState.HalfOpen),
    {
      halfOpenAfter: options.halfOpenAfterMs,
      breaker: createWindowBreaker({ threshold: options.threshold, windowMs: options.windowMs }),
    },
  );
  const fields = {
    origin,
    threshold: options.threshold,
    window_ms: options.windowMs,
    half_open_after_ms: options.halfOpenAfterMs,
  };
  // State changes are logged by the logger of the latest call through this breaker. (A second
  // AsyncLocalStorage per call, as before, made every call dearer: on Node 20 each active store
  // is carried through every promise of got's request.)
  let logger: Logger | undefined;
  policy.onBreak(function logOpened() {
    logger?.error('circuit_opened', fields);
  });
  policy.onHalfOpen(function logHalfOpen() {
    logger?.info('circuit_half_open', { origin });
  });
  policy.onReset(function logClosed() {
    logger?.info('circuit_closed', { origin });
  });
  function explainRefusal(error: unknown): never {
    if (isBrokenCircuitError(error)) throw new UpstreamError('CIRCUIT_OPEN', { origin, cause: error });
    throw error;
  }

  return {
    origin,
    get state(): CircuitBreakerState {
      return STATE_NAMES[policy.state];
    },
    execute<T>(attempt: () => Promise<T>, callLogger: Logger): Promise<T> {
      logger = callLogger;
      // cockatiel queues callers behind a half-open trial; we fail them fast instead, so a
      // slow trial never holds requests hostage and exactly one call probes the upstream.
      if (policy.state === CircuitState.HalfOpen) return Promise.reject(new UpstreamError('CIRCUIT_OPEN', { origin }));
      // Closed, a success changes nothing (the window breaker counts failures only): the attempt
      // runs here, and only a failure goes through cockatiel, which judges it, counts it and may
      // open the circuit. That spares a successful call cockatiel's two async layers, their
      // promises (on Node 20 each pays for carrying the request scope) and its events. A failure
      // that comes back after the circuit left Closed is not counted again.
      if (policy.state === CircuitState.Closed)
        return attempt().catch((error: unknown) => {
          if (policy.state !== CircuitState.Closed) throw error;
          // Still closed, so cockatiel runs this and cannot refuse it: it rejects with `error`.
          return policy.execute(() => Promise.reject(error as Error));
        });
      // A plain promise chain rather than an async function: one promise fewer a call.
      return policy.execute(attempt).catch(explainRefusal);
    },
  };
}

/**
 * A registry of circuit breakers, one per upstream origin. Every client given the same registry
 * shares its breakers, so two clients of one upstream see one health. Clients that are not
 * given a registry share the process-wide {@link defaultCircuitBreakers}.
 *
 * @see https://github.com/connor4312/cockatiel#circuitbreaker (the policy underneath)
 * @example
 * const breakers = createCircuitBreakerRegistry({ halfOpenAfterMs: 10_000 });
 * const billing = createHttpClient({ baseUrl, logger, breakers });
 */
export function createCircuitBreakerRegistry(options: CircuitBreakerOptions = {}): CircuitBreakerRegistry {
  const resolved: Required<CircuitBreakerOptions> = {
    threshold: options.threshold ?? 5,
    windowMs: options.windowMs ?? 60_000,
    halfOpenAfterMs: options.halfOpenAfterMs ?? 30_000,
  };
  for (const key of ['threshold', 'windowMs', 'halfOpenAfterMs'] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 1)
      throw new TypeError(`circuit breaker ${key} must be a positive integer, got ${String(value)}`);
  }
  const breakers = new Map<string, CircuitBreaker>();
  return {
    get(origin: string): CircuitBreaker {
      let breaker = breakers.get(origin);
      if (breaker === undefined) {
        breaker = createBreaker(origin, resolved);
        breakers.set(origin, breaker);
      }
      return breaker;
    },
  };
}

let processBreakers: CircuitBreakerRegistry | undefined;

/**
 * The process-wide registry (contract defaults: 5 failures in 60 s, 30 s cool-down) used by
 * every client made without `breakers`.
 *
 * @example
 * defaultCircuitBreakers().get('http://billing:8080').state // 'closed'
 */
export function defaultCircuitBreakers(): CircuitBreakerRegistry {
  return (processBreakers ??= createCircuitBreakerRegistry());
}
