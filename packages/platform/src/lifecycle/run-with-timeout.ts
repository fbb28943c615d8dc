/** How a bounded step ended. */
export type StepOutcome =
  { readonly status: 'ok' } | { readonly status: 'failed'; readonly error: unknown } | { readonly status: 'timed_out' };

/**
 * Runs `step` and settles when it does or when `timeoutMs` passes, whichever is first. Never
 * rejects: a throwing step is an outcome, not an exception. The timer is `unref()`'d so a step
 * that hangs can never be what keeps the process alive.
 * @internal
 */
export function runWithTimeout(step: () => unknown, timeoutMs: number): Promise<StepOutcome> {
  return new Promise<StepOutcome>((resolve) => {
    const timer = setTimeout(() => resolve({ status: 'timed_out' }), timeoutMs);
    timer.unref();
    const settle = (outcome: StepOutcome): void => {
      clearTimeout(timer);
      resolve(outcome);
    };
    try {
      Promise.resolve(step()).then(
        () => settle({ status: 'ok' }),
        (error: unknown) => settle({ status: 'failed', error }),
      );
    } catch (error) {
      settle({ status: 'failed', error });
    }
  });
}

/** Waits `ms` on an `unref()`'d timer. @internal */
export function sleep(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Milliseconds since `start` (from `process.hrtime.bigint()`), two decimals. @internal */
export function msSince(start: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - start) / 10_000) / 100;
}
