// An inline `type`: the API report prints this import as the declaration files write it.
import { type RequestListener } from 'node:http';
import { createHealth, type Health } from '../health/health.js';
import { createLoadShedder, type LoadShedder } from '../http/load-shedding.js';
import type { PlatformConfig } from '../config/platform-fields.js';
import type { Logger } from '../logging/logger.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import type { Observability } from '../observability/observability.js';
import { createHttpServer, listenFailure, type HttpServer, type StartedService } from './http-server.js';
import { createProcessEnd } from './process-end.js';
import { createProcessEvents, type FatalKind } from './process-events.js';
import { msSince } from './run-with-timeout.js';
import { resolveLifecycleSettings, type LifecycleConfig } from './settings.js';
import { createShutdown } from './shutdown.js';
import { createShutdownHooks, type ShutdownHookOptions } from './shutdown-hooks.js';
import { createStartupHooks, type StartupHook, type StartupHookOptions } from './startup-hooks.js';

/** Options of {@link createLifecycle}. */
export interface LifecycleOptions {
  readonly logger: Logger;
  /** Port, host, timings and METRICS_ENABLED (the platform config fits). @default the config's defaults in local mode: HOST 127.0.0.1, PORT 8000, no shutdown delay */
  readonly config?: LifecycleConfig & Partial<Pick<PlatformConfig, 'METRICS_ENABLED'>>;
  /**
   * Flushed before exit; fatal errors are reported to it, and (through `createServiceApp({ lifecycle })`)
   * every 5xx when it has `onServerError`. @default nothing reported
   */
  readonly observability?: Pick<Observability, 'captureException' | 'flush'> &
    Partial<Pick<Observability, 'onServerError'>>;
  /**
   * The request metrics the app serves on `GET /metrics`; pass a registry of your own to share it,
   * or `false` for none. @default createMetrics(), or `false` when `config.METRICS_ENABLED` is false
   */
  readonly metrics?: Metrics | false;
  /** The readiness registry `/readyz` reads. @default createHealth({ defaultTimeoutMs: READINESS_TIMEOUT_MS, logger }) */
  readonly health?: Health;
  /** Ends the process (tests pass a spy). @default process.exit */
  readonly exit?: (code: number) => void;
  /**
   * Signals that start the graceful shutdown. Copies of the first that wrappers and process-group
   * kills deliver do not shorten it; only a SIGINT at least a second after the first signal (a
   * second Ctrl-C) forces exit 1. @default ['SIGTERM', 'SIGINT']
   */
  readonly signals?: readonly NodeJS.Signals[];
  /** Listen for signals, `uncaughtException` and `unhandledRejection`. @default true */
  readonly handleProcessEvents?: boolean;
  /** How long flushing Sentry (and then logs) may take before exit. @default 2000 */
  readonly flushTimeoutMs?: number;
}

/** The process lifecycle of one service. */
export interface Lifecycle {
  /** The readiness registry: 503 until startup hooks finished and from the moment shutdown begins. */
  readonly health: Health;
  /**
   * Load shedding at OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: `createServiceApp({ lifecycle })` mounts it. It samples from
   * `start()` to shutdown, and readiness (check `event_loop`) is red while it sheds.
   */
  readonly loadShedder: LoadShedder;
  /**
   * The request metrics `createServiceApp({ lifecycle })` serves on `GET /metrics` (`false`: none);
   * register the service's own metrics, or the session cache's (`createAuth({ metrics })`), here.
   */
  readonly metrics: Metrics | false;
  /** The error reporting this lifecycle was given: `createServiceApp({ lifecycle })` tells it of every 5xx. */
  readonly observability: Partial<Pick<Observability, 'onServerError'>> | undefined;
  /**
   * Work to do after listening and before readiness turns 200 (opening a store, migrations,
   * warm-up), run in order. With `retry`, a failing hook is tried again with capped backoff while
   * readiness stays 503 (a database that comes up after the service); the hook's `signal` aborts
   * when shutdown begins meanwhile.
   */
  addStartupHook(name: string, hook: StartupHook, options?: StartupHookOptions): void;
  /** Work to do on shutdown (close pools, clients), run in reverse order after the server drained. */
  addShutdownHook(name: string, hook: () => unknown, options?: ShutdownHookOptions): void;
  /** Listens, runs startup hooks, marks ready and takes over signals and fatal errors. */
  start(app: RequestListener): Promise<StartedService>;
  /** The graceful shutdown; idempotent (every call gets the same promise of the exit code). */
  shutdown(reason?: string): Promise<number>;
}

/**
 * Creates the lifecycle that owns the process: `start(app)` listens, runs the startup hooks and
 * turns readiness on; SIGTERM/SIGINT run the graceful shutdown (readiness 503 at once → keep
 * serving for SHUTDOWN_DELAY_MS → stop accepting, `Connection: close`, close idle keep-alive
 * sockets → wait up to SHUTDOWN_TIMEOUT_MS → shutdown hooks in reverse order, each under a
 * timeout → flush Sentry and logs → exit 0, or 1 when a deadline was hit or a hook failed).
 * The same signal delivered again (by npm, a process-group kill) does not shorten the sequence;
 * a second SIGINT a second or more after the first forces exit 1. An uncaught exception or
 * unhandled rejection is logged, reported, flushed and exits 1.
 *
 * @example
 * const lifecycle = createLifecycle({ config, logger, observability });
 * lifecycle.addShutdownHook('database', () => pool.end());
 * lifecycle.health.addCheck('database', () => pool.query('select 1'));
 * const app = createServiceApp({ config, logger, lifecycle, routes });
 * await lifecycle.start(app);
 */
export function createLifecycle(options: LifecycleOptions): Lifecycle {
  const { logger, observability } = options;
  const settings = resolveLifecycleSettings(options);
  const health = options.health ?? createHealth({ defaultTimeoutMs: settings.readinessTimeoutMs, logger });
  const metrics = options.metrics ?? (options.config?.METRICS_ENABLED === false ? false : createMetrics());
  const loadShedder = createLoadShedder({ maxEventLoopDelayMs: settings.maxEventLoopDelayMs, logger });
  if (settings.maxEventLoopDelayMs > 0) {
    health.addCheck('event_loop', () => {
      if (loadShedder.isOverloaded()) throw new Error(`event loop ${Math.round(loadShedder.lastDelayMs())} ms late`);
    });
  }
  const startupHooks = createStartupHooks(logger);
  const shutdownHooks = createShutdownHooks(settings.hookTimeoutMs, logger);
  const processEvents = createProcessEvents(
    { signals: settings.signals, enabled: settings.handleProcessEvents, logger },
    { shutdown: (signal) => void shutdown.run(signal), force: () => end.exitOnce(1), fatal },
  );
  const end = createProcessEnd({
    logger,
    observability,
    flushTimeoutMs: settings.flushTimeoutMs,
    exit: options.exit ?? ((code) => process.exit(code)),
    beforeExit: () => processEvents.detach(),
  });
  let started = false;
  let http: HttpServer | undefined;
  const shutdown = createShutdown({
    settings,
    logger,
    health,
    loadShedder,
    startupHooks,
    shutdownHooks,
    server: () => http,
    end,
    exitsTheProcess: options.exit === undefined,
  });

  // An uncaught exception or unhandled rejection: logged, reported, flushed, exit 1.
  function fatal(kind: FatalKind, error: unknown): void {
    health.markStopping();
    logger.error(kind, { error });
    observability?.captureException(error, { tags: { fatal: kind } });
    void end.flush().finally(() => end.exitOnce(1));
  }

  async function start(app: RequestListener): Promise<StartedService> {
    if (started) throw new Error('lifecycle.start() was already called');
    started = true;
    const begin = process.hrtime.bigint();
    processEvents.attach();
    http = createHttpServer(app, settings, logger);
    const service = await http.listen().catch(async (error: unknown) => {
      logger.error('startup_failed', listenFailure(error, settings));
      await shutdown.run('startup_failed', true);
      throw error;
    });
    logger.info('server_listening', { url: service.url });
    try {
      await startupHooks.run(() => shutdown.begun);
    } catch (error) {
      // Shutdown began while a hook waited: not a failure of startup, and shutdown is under way.
      if (startupHooks.aborted) return service;
      logger.error('startup_failed', { error });
      await shutdown.run('startup_failed', true);
      throw error;
    }
    if (!shutdown.begun) {
      health.markReady();
      loadShedder.start();
      logger.info('service_ready', { startup_ms: msSince(begin) });
    }
    return service;
  }

  return {
    health,
    loadShedder,
    metrics,
    observability,
    addStartupHook(name, hook, hookOptions) {
      if (started) throw new Error(`startup hook "${name}" added after start()`);
      startupHooks.add(name, hook, hookOptions);
    },
    addShutdownHook(name, hook, hookOptions) {
      if (shutdown.begun) throw new Error(`shutdown hook "${name}" added after shutdown began`);
      shutdownHooks.add(name, hook, hookOptions);
    },
    start,
    shutdown: (reason) => shutdown.run(reason),
  };
}
