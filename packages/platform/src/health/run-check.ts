/** What a readiness check does: resolve when the dependency proved it works, throw when not. */
export type HealthCheckFn = (signal: AbortSignal) => unknown;

/** The outcome of one check run. */
export interface CheckOutcome {
  readonly status: 'ok' | 'error';
  readonly durationMs: number;
  /** Why it failed (`timeout` or the error), for the log only: never sent to the client. */
  readonly failure?: { readonly reason: 'timeout' | 'error'; readonly error?: unknown };
}

function elapsedMs(start: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - start) / 10_000) / 100;
}

/**
 * Runs one check under its own timeout. A check that throws synchronously, rejects, or does not
 * settle within `timeoutMs` is a failure; the signal is aborted on timeout so the check can stop
 * its I/O. Never rejects.
 * @internal
 */
export function runCheck(check: HealthCheckFn, timeoutMs: number): Promise<CheckOutcome> {
  const start = process.hrtime.bigint();
  const controller = new AbortController();
  return new Promise<CheckOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: Omit<CheckOutcome, 'durationMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, durationMs: elapsedMs(start) });
    };
    // unref: a hanging check must never keep a stopping process alive.
    const timer = setTimeout(() => {
      controller.abort(new Error(`health check timed out after ${timeoutMs} ms`));
      settle({ status: 'error', failure: { reason: 'timeout' } });
    }, timeoutMs);
    timer.unref();
    try {
      Promise.resolve(check(controller.signal)).then(
        () => settle({ status: 'ok' }),
        (error: unknown) => settle({ status: 'error', failure: { reason: 'error', error } }),
      );
    } catch (error) {
      settle({ status: 'error', failure: { reason: 'error', error } });
    }
  });
}
