import { setTimeout as sleep } from 'node:timers/promises';
import { ExponentialBackoff } from 'cockatiel';
import type { Logger } from '../logging/logger.js';
import { msSince, runWithTimeout } from './run-with-timeout.js';

/** What a startup hook is given. */
export interface StartupHookContext {
  /** Aborted when shutdown begins during startup: stop waiting and give up. */
  readonly signal: AbortSignal;
  /** 1 on the first try, then 2, 3, ... when the hook is retried. */
  readonly attempt: number;
}

/** Work to do after listening and before readiness turns 200. */
export type StartupHook = (context: StartupHookContext) => unknown;

/**
 * How a startup hook is retried: a dependency that comes up after the service (a database at
 * deploy time) is waited for, with readiness at 503, instead of crashing the process into a
 * restart loop.
 */
export interface StartupRetryOptions {
  /** Which failures are worth another try; any other failure ends startup (exit 1). @default every failure */
  readonly retryIf?: (error: unknown) => boolean;
  /** The first wait between tries, in ms. @default 500 */
  readonly initialDelayMs?: number;
  /** The longest wait between tries, in ms (the backoff doubles up to it, with jitter). @default 10000 */
  readonly maxDelayMs?: number;
  /** Tries in all before giving up. @default Infinity: until it succeeds or shutdown begins */
  readonly maxAttempts?: number;
}

/** Options of one startup hook. */
export interface StartupHookOptions {
  /** Retry the hook while it fails. @default no retry: the first failure ends startup (exit 1) */
  readonly retry?: StartupRetryOptions;
}

/** A startup hook as the lifecycle keeps it. @internal */
export interface RegisteredStartupHook {
  readonly name: string;
  readonly run: StartupHook;
  readonly retry?: StartupRetryOptions;
}

/** The message of a failure, for a one-line log entry (no stack: a retry is expected, not a bug). */
function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message === '' ? error.name : error.message;
  return String(error);
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Runs one startup hook, retried as its options say. Logs `startup_hook_started` and
 * `startup_hook_finished`, and one `startup_hook_retrying` warning per failed try (the reason,
 * the attempt and the wait, without a stack trace). Rejects with the hook's error when it fails
 * for good, or with the signal's reason when shutdown began.
 * @internal
 */
export async function runStartupHook(hook: RegisteredStartupHook, signal: AbortSignal, logger: Logger): Promise<void> {
  const begin = process.hrtime.bigint();
  logger.info('startup_hook_started', { hook: hook.name });
  const options = hook.retry;
  if (options === undefined) {
    await hook.run({ signal, attempt: 1 });
  } else {
    const retryIf = options.retryIf ?? (() => true);
    const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    // cockatiel's backoff (decorrelated jitter): instances started together do not retry in step.
    let backoff = new ExponentialBackoff({
      initialDelay: options.initialDelayMs ?? 500,
      maxDelay: options.maxDelayMs ?? 10_000,
    }).next();
    for (let attempt = 1; ; attempt += 1) {
      try {
        await hook.run({ signal, attempt });
        break;
      } catch (error) {
        if (signal.aborted || attempt >= maxAttempts || !retryIf(error)) throw error;
        const waitMs = Math.round(backoff.duration);
        logger.warn('startup_hook_retrying', {
          hook: hook.name,
          attempt,
          retry_in_ms: waitMs,
          reason: reasonOf(error),
          ...(codeOf(error) === undefined ? {} : { code: codeOf(error) }),
        });
        // Rejects at once when shutdown begins, instead of sleeping through it.
        await sleep(waitMs, undefined, { signal });
        backoff = backoff.next(undefined);
      }
    }
  }
  logger.info('startup_hook_finished', { hook: hook.name, duration_ms: msSince(begin) });
}

/** The startup hooks of a lifecycle. @internal */
export interface StartupHooks {
  add(name: string, hook: StartupHook, options?: StartupHookOptions): void;
  /** Runs the hooks in order, each once it is its turn and `stopped()` is still false. */
  run(stopped: () => boolean): Promise<void>;
  /** Tells the hook that runs to give up, and waits up to `waitMs` for what it was doing. */
  abort(waitMs: number): Promise<void>;
  /** Whether {@link StartupHooks.abort} was called. */
  readonly aborted: boolean;
}

/**
 * Keeps the work to do after listening and before readiness turns 200, and runs it in order.
 * When shutdown begins meanwhile, the running hook's `signal` aborts, and what it opened is in
 * place (or its wait is over) before the shutdown hooks close it.
 * @internal
 */
export function createStartupHooks(logger: Logger): StartupHooks {
  const hooks: RegisteredStartupHook[] = [];
  const controller = new AbortController();
  let work: Promise<void> = Promise.resolve();
  return {
    add(name, run, options = {}) {
      hooks.push({ name, run, ...(options.retry === undefined ? {} : { retry: options.retry }) });
    },
    run(stopped) {
      work = (async () => {
        for (const hook of hooks) {
          if (stopped()) return;
          await runStartupHook(hook, controller.signal, logger);
        }
      })();
      return work;
    },
    async abort(waitMs) {
      controller.abort(new Error('shutdown began during startup'));
      await runWithTimeout(() => work, waitMs);
    },
    get aborted() {
      return controller.signal.aborted;
    },
  };
}
