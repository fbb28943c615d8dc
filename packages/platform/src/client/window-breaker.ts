import { CircuitState, type IBreaker } from 'cockatiel';

/** Options of {@link createWindowBreaker}. */
export interface WindowBreakerOptions {
  /** Failures within the window that open the circuit. @default 5 */
  readonly threshold?: number;
  /** Length of the sliding window in ms. @default 60000 */
  readonly windowMs?: number;
  /** Clock. @default Date.now */
  readonly now?: () => number;
}

/**
 * A cockatiel breaker strategy that opens after `threshold` failures within the last `windowMs`
 * (docs/contract.md: 5 within 60 s). Successes do not erase recent failures: an upstream that fails
 * every other call is still failing. A successful half-open trial starts a fresh window.
 * cockatiel ships consecutive, count-ratio and rate-sampling breakers, none of which is
 * "N failures in a time window", hence this small one.
 *
 * @example
 * circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: createWindowBreaker({ threshold: 5, windowMs: 60_000 }) });
 */
export function createWindowBreaker(options: WindowBreakerOptions = {}): IBreaker {
  const threshold = options.threshold ?? 5;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  let failures: number[] = [];
  return {
    get state(): unknown {
      return [...failures];
    },
    set state(value: unknown) {
      failures = Array.isArray(value) ? value.filter((item): item is number => typeof item === 'number') : [];
    },
    success(state: CircuitState): void {
      if (state === CircuitState.HalfOpen) failures = [];
    },
    failure(state: CircuitState): boolean {
      const at = now();
      if (state === CircuitState.HalfOpen) {
        failures = [at];
        return true;
      }
      failures = failures.filter((time) => at - time < windowMs);
      failures.push(at);
      return failures.length >= threshold;
    },
  };
}
