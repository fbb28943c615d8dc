import type { Logger } from '../logging/logger.js';
import type { Observability } from '../observability/observability.js';
import { runWithTimeout } from './run-with-timeout.js';

/** The last steps of the process, shared by the graceful shutdown and the fatal path. @internal */
export interface ProcessEnd {
  /**
   * Flushes Sentry, then the logs, each within the flush timeout; `beforeLogs` writes the last
   * log line (with whether Sentry was flushed) so that it is flushed too. Resolves whether Sentry
   * was flushed (true without Sentry).
   */
  flush(beforeLogs?: (sentryFlushed: boolean) => void): Promise<boolean>;
  /** Ends the process with `code`, the first time only, after `beforeExit`. */
  exitOnce(code: number): void;
}

/** What {@link createProcessEnd} needs. @internal */
export interface ProcessEndOptions {
  readonly logger: Logger;
  readonly observability: Pick<Observability, 'flush'> | undefined;
  readonly flushTimeoutMs: number;
  readonly exit: (code: number) => void;
  /** Runs once, right before the exit (the lifecycle lets go of the process's events). */
  readonly beforeExit: () => void;
}

/**
 * Flushing and exiting, each written once: the graceful shutdown and an uncaught exception end
 * the process the same way.
 * @internal
 */
export function createProcessEnd({
  logger,
  observability,
  flushTimeoutMs,
  exit,
  beforeExit,
}: ProcessEndOptions): ProcessEnd {
  let exited = false;
  return {
    async flush(beforeLogs) {
      const sentryFlushed =
        observability === undefined ? true : await observability.flush(flushTimeoutMs).catch(() => false);
      beforeLogs?.(sentryFlushed);
      await runWithTimeout(() => logger.flush(), flushTimeoutMs);
      return sentryFlushed;
    },
    exitOnce(code) {
      if (exited) return;
      exited = true;
      beforeExit();
      exit(code);
    },
  };
}
