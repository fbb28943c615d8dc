import type { Logger } from '../logging/logger.js';
import { msSince, runWithTimeout } from './run-with-timeout.js';

/** Options of one shutdown hook. */
export interface ShutdownHookOptions {
  /** How long the hook may take. @default SHUTDOWN_HOOK_TIMEOUT_MS (5000) */
  readonly timeoutMs?: number;
}

/** The shutdown hooks of a lifecycle. @internal */
export interface ShutdownHooks {
  add(name: string, hook: () => unknown, options?: ShutdownHookOptions): void;
  /** Runs every hook, last added first, each under its timeout; true when all of them finished in time. */
  runInReverse(): Promise<boolean>;
}

interface ShutdownHook {
  readonly name: string;
  readonly run: () => unknown;
  readonly timeoutMs: number;
}

/**
 * Keeps the work to do on shutdown (close pools, clients) and runs it in reverse order of
 * registration, each hook under its own timeout, logging how each one ended. A hook that fails or
 * times out does not stop the others.
 * @internal
 */
export function createShutdownHooks(defaultTimeoutMs: number, logger: Logger): ShutdownHooks {
  const hooks: ShutdownHook[] = [];
  return {
    add(name, run, options = {}) {
      const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
        throw new TypeError(`shutdown hook "${name}": timeoutMs must be a positive number`);
      hooks.push({ name, run, timeoutMs });
    },
    async runInReverse() {
      let clean = true;
      for (const hook of [...hooks].reverse()) {
        const begin = process.hrtime.bigint();
        logger.info('shutdown_hook_started', { hook: hook.name });
        const outcome = await runWithTimeout(hook.run, hook.timeoutMs);
        const durationMs = msSince(begin);
        if (outcome.status === 'ok')
          logger.info('shutdown_hook_finished', { hook: hook.name, duration_ms: durationMs });
        else if (outcome.status === 'timed_out')
          logger.error('shutdown_hook_timed_out', { hook: hook.name, timeout_ms: hook.timeoutMs });
        else logger.error('shutdown_hook_failed', { hook: hook.name, duration_ms: durationMs, error: outcome.error });
        if (outcome.status !== 'ok') clean = false;
      }
      return clean;
    },
  };
}
