import type { Health } from '../health/health.js';
import type { LoadShedder } from '../http/load-shedding.js';
import type { Logger } from '../logging/logger.js';
import type { HttpServer } from './http-server.js';
import type { ProcessEnd } from './process-end.js';
import { msSince, sleep } from './run-with-timeout.js';
import type { LifecycleSettings } from './settings.js';
import type { ShutdownHooks } from './shutdown-hooks.js';
import type { StartupHooks } from './startup-hooks.js';

/** What the graceful shutdown works on. @internal */
export interface ShutdownParts {
  readonly settings: LifecycleSettings;
  readonly logger: Logger;
  readonly health: Health;
  readonly loadShedder: LoadShedder;
  readonly startupHooks: StartupHooks;
  readonly shutdownHooks: ShutdownHooks;
  /** The HTTP server, once `start()` created it. */
  readonly server: () => HttpServer | undefined;
  readonly end: ProcessEnd;
  /**
   * The exit is the real `process.exit`: a sequence that stalls with nothing left on the event
   * loop would otherwise end the process with 0 before it finished, so the exit code is 1 until
   * the sequence says otherwise.
   */
  readonly exitsTheProcess: boolean;
}

/** The graceful shutdown of a lifecycle. @internal */
export interface Shutdown {
  /** Runs the sequence once; every call gets the same promise of the exit code. */
  run(reason?: string, failed?: boolean): Promise<number>;
  /** Whether the sequence began. */
  readonly begun: boolean;
}

/**
 * The graceful shutdown, as its steps: mark not ready, abort startup, drain the server, run the
 * shutdown hooks, flush, exit once. The exit code is 0 unless a step failed (a drain cut short, a
 * hook that failed or timed out) or the shutdown itself comes from a failure.
 * @internal
 */
export function createShutdown(parts: ShutdownParts): Shutdown {
  const { settings, logger } = parts;
  let sequence: Promise<number> | undefined;

  // Readiness turns 503 at once and load shedding stops sampling.
  function markNotReady(): void {
    parts.health.markStopping();
    parts.loadShedder.close();
    if (parts.exitsTheProcess) process.exitCode = 1;
  }

  // Startup work still going (a store being opened, a retry's wait) is told to stop, and what it
  // opened meanwhile is in place before the shutdown hooks close it.
  async function abortStartup(): Promise<void> {
    await parts.startupHooks.abort(settings.hookTimeoutMs);
  }

  // Keep serving while load balancers notice readiness is 503 and stop sending (keep-alive clients
  // are told to take their next request elsewhere), then stop accepting and wait for what is in
  // flight, up to the drain timeout. False when requests had to be cut.
  async function drain(): Promise<boolean> {
    const http = parts.server();
    if (http?.server.listening !== true) return true;
    http.drain.startDraining();
    await sleep(settings.shutdownDelayMs);
    logger.info('server_closing', { in_flight: http.drain.inFlight() });
    const closeBegin = process.hrtime.bigint();
    const inFlightAtClose = http.drain.inFlight();
    if (await http.drain.close(settings.drainTimeoutMs)) {
      logger.info('server_closed', { duration_ms: msSince(closeBegin), drained_requests: inFlightAtClose });
      return true;
    }
    logger.error('shutdown_deadline_exceeded', {
      timeout_ms: settings.drainTimeoutMs,
      cut_requests: http.drain.inFlight(),
    });
    return false;
  }

  async function runSequence(reason: string, failed: boolean): Promise<number> {
    const begin = process.hrtime.bigint();
    markNotReady();
    logger.info('shutdown_started', {
      reason,
      delay_ms: settings.shutdownDelayMs,
      timeout_ms: settings.drainTimeoutMs,
      in_flight: parts.server()?.drain.inFlight() ?? 0,
      force: 'Ctrl-C again (SIGINT) after a second forces exit',
    });
    await abortStartup();
    const drained = await drain();
    const hooksFinished = await parts.shutdownHooks.runInReverse();
    const code = !failed && drained && hooksFinished ? 0 : 1;
    await parts.end.flush((sentryFlushed) =>
      logger.info('shutdown_complete', { exit_code: code, duration_ms: msSince(begin), sentry_flushed: sentryFlushed }),
    );
    parts.end.exitOnce(code);
    return code;
  }

  return {
    run(reason = 'shutdown', failed = false) {
      sequence ??= runSequence(reason, failed);
      return sequence;
    },
    get begun() {
      return sequence !== undefined;
    },
  };
}
