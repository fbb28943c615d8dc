import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createError } from '../errors/codes.js';
import type { Logger } from '../logging/logger.js';

/** Options of {@link createLoadShedder}. */
export interface LoadShedderOptions {
  /** Event-loop delay (ms late a sampling timer fires) above which the process is overloaded; 0 turns shedding off. @default 1000 */
  readonly maxEventLoopDelayMs?: number;
  /** Length of one sample window. @default 1000 */
  readonly sampleIntervalMs?: number;
  /** Consecutive windows over the limit before shedding starts (one spike is not overload). @default 2 */
  readonly windowsToEngage?: number;
  /** `Retry-After` seconds sent with 503 `OVERLOADED`. @default 5 */
  readonly retryAfterSeconds?: number;
  /** Paths never shed (probes and metrics must keep answering). @default ['/healthz', '/readyz', '/metrics', '/version'] */
  readonly exemptPaths?: readonly string[];
  readonly logger?: Logger;
}

/** A load shedder: a middleware plus its state, for readiness. */
export interface LoadShedder {
  /** Answers 503 `OVERLOADED` with `Retry-After` while overloaded (exempt paths pass). */
  readonly middleware: RequestHandler;
  /** Whether requests are being shed now. */
  isOverloaded(): boolean;
  /** The event-loop delay of the last sample, in ms. */
  lastDelayMs(): number;
  /** Starts sampling (idempotent); nothing is shed before. */
  start(): void;
  /** Stops sampling. */
  close(): void;
}

/**
 * Sheds load when the event loop stays late, like Fastify's under-pressure: once the p99
 * event-loop delay stays above the limit for `windowsToEngage` samples in a row, requests get 503
 * `OVERLOADED` with `Retry-After` (probes exempt), and readiness can report it so a load
 * balancer sends traffic elsewhere; one sample under the limit releases it. Sampling uses an
 * `unref()`'d timer started by `start()`, so it never keeps the process alive. The lifecycle
 * starts and closes it and turns readiness red while it sheds.
 *
 * @example
 * const shedder = createLoadShedder({ maxEventLoopDelayMs: 500, logger });
 * app.use(shedder.middleware);
 * shedder.start();
 */
export function createLoadShedder(options: LoadShedderOptions = {}): LoadShedder {
  // The delay is how late a timer of our own fires. (perf_hooks' monitorEventLoopDelay only
  // records after the blocked turn, a window late, and reads 0 under a steady block.)
  const limit = options.maxEventLoopDelayMs ?? 1000;
  const interval = options.sampleIntervalMs ?? 1000;
  const windowsToEngage = options.windowsToEngage ?? 2;
  const retryAfter = String(options.retryAfterSeconds ?? 5);
  const exempt = new Set(options.exemptPaths ?? ['/healthz', '/readyz', '/metrics', '/version']);
  let overloaded = false;
  let lateWindows = 0;
  let lastDelay = 0;
  let timer: NodeJS.Timeout | undefined;
  let expected = 0;

  function sampleEventLoopDelay(): void {
    const now = performance.now();
    lastDelay = Math.max(0, now - expected);
    expected = now + interval;
    lateWindows = lastDelay > limit ? lateWindows + 1 : 0;
    const next = lateWindows >= windowsToEngage ? true : lastDelay > limit ? overloaded : false;
    if (next !== overloaded) {
      overloaded = next;
      options.logger?.log(next ? 'warn' : 'info', next ? 'load_shedding_started' : 'load_shedding_stopped', {
        event_loop_delay_ms: Math.round(lastDelay),
        limit_ms: limit,
      });
    }
    if (timer === undefined) return; // closed while this sample ran
    timer = setTimeout(sampleEventLoopDelay, interval);
    timer.unref();
  }

  return {
    middleware: function loadShedding(req: Request, _res: Response, next: NextFunction): void {
      if (overloaded && !exempt.has(req.path)) {
        next(createError('OVERLOADED', { headers: { 'Retry-After': retryAfter } }));
        return;
      }
      next();
    },
    isOverloaded: () => overloaded,
    lastDelayMs: () => lastDelay,
    start() {
      if (limit <= 0 || timer !== undefined) return;
      expected = performance.now() + interval;
      timer = setTimeout(sampleEventLoopDelay, interval);
      timer.unref();
    },
    close() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      overloaded = false;
    },
  };
}
