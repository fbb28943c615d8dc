import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlatformConfig } from '../config/platform-fields.js';
import { createHealth, type Health } from '../health/health.js';
import { clientErrorHandler } from '../http/client-error.js';
import { createLoadShedder, type LoadShedder } from '../http/load-shedding.js';
import type { Logger } from '../logging/logger.js';
import type { Observability } from '../observability/observability.js';
import { msSince, runWithTimeout, sleep } from './run-with-timeout.js';
import { trackServer, type ServerDrain } from './server-drain.js';
import { shutdownSignalPolicy } from './shutdown-signals.js';
import { runStartupHook, type RegisteredStartupHook, type StartupHook, type StartupHookOptions } from './startup-hooks.js';

/** The config fields the lifecycle reads; each falls back to the platform default. */
export type LifecycleConfig = Partial<
  Pick<PlatformConfig, 'PORT' | 'HOST' | 'SHUTDOWN_DELAY_MS' | 'SHUTDOWN_TIMEOUT_MS' | 'SHUTDOWN_HOOK_TIMEOUT_MS' | 'KEEP_ALIVE_TIMEOUT_MS' | 'READINESS_TIMEOUT_MS' | 'OVERLOAD_MAX_EVENT_LOOP_DELAY_MS' | 'REQUEST_TIMEOUT_MS'>
>;

/** Options of {@link createLifecycle}. */
export interface LifecycleOptions {
  readonly logger: Logger;
  /** Port, host and timings (the platform config fits). @default the platform defaults, PORT 8000 */
  readonly config?: LifecycleConfig;
  /** Flushed before exit; fatal errors are reported to it. @default nothing reported */
  readonly observability?: Pick<Observability, 'captureException' | 'flush'>;
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

/** Options of one shutdown hook. */
export interface ShutdownHookOptions {
  /** How long the hook may take. @default SHUTDOWN_HOOK_TIMEOUT_MS (5000) */
  readonly timeoutMs?: number;
}

/** A running server. */
export interface StartedService {
  readonly server: Server;
  /** The bound port (useful with PORT=0). */
  readonly port: number;
  /** `http://host:port`, with 127.0.0.1 for a wildcard bind. */
  readonly url: string;
}

/** The process lifecycle of one service. */
export interface Lifecycle {
  /** The readiness registry: 503 until startup hooks finished and from the moment shutdown begins. */
  readonly health: Health;
  /**
   * Load shedding at OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: pass it to `createServiceApp`. It samples from
   * `start()` to shutdown, and readiness (check `event_loop`) is red while it sheds.
   */
  readonly loadShedder: LoadShedder;
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

interface ShutdownHook {
  readonly name: string;
  readonly run: () => unknown;
  readonly timeoutMs: number;
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
 * const app = createServiceApp({ config, logger, health: lifecycle.health, observability, routes });
 * await lifecycle.start(app);
 */
export function createLifecycle(options: LifecycleOptions): Lifecycle {
  const { logger } = options;
  const config = options.config ?? {};
  const delayMs = config.SHUTDOWN_DELAY_MS ?? 0;
  const drainTimeoutMs = config.SHUTDOWN_TIMEOUT_MS ?? 10_000;
  const hookTimeoutMs = config.SHUTDOWN_HOOK_TIMEOUT_MS ?? 5000;
  const flushTimeoutMs = options.flushTimeoutMs ?? 2000;
  const health = options.health ?? createHealth({ defaultTimeoutMs: config.READINESS_TIMEOUT_MS ?? 2000, logger });
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const loadShedder = createLoadShedder({ maxEventLoopDelayMs: config.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS ?? 1000, logger });
  if ((config.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS ?? 1000) > 0) {
    health.addCheck('event_loop', () => {
      if (loadShedder.isOverloaded()) throw new Error(`event loop ${Math.round(loadShedder.lastDelayMs())} ms late`);
    });
  }
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const startupHooks: RegisteredStartupHook[] = [];
  const startupAbort = new AbortController();
  let startupWork: Promise<unknown> = Promise.resolve();
  const classifySignal = shutdownSignalPolicy();
  const shutdownHooks: ShutdownHook[] = [];
  let server: Server | undefined;
  let drain: ServerDrain | undefined;
  let started = false;
  let shuttingDown: Promise<number> | undefined;
  let exited = false;

  function finish(code: number): void {
    if (exited) return;
    exited = true;
    removeProcessHandlers();
    exit(code);
  }

  async function flushAll(): Promise<boolean> {
    const sentry = options.observability === undefined ? true : await options.observability.flush(flushTimeoutMs).catch(() => false);
    await runWithTimeout(() => logger.flush(), flushTimeoutMs);
    return sentry;
  }

  function onSignal(signal: NodeJS.Signals): void {
    const action = classifySignal(signal);
    if (action === 'force') {
      logger.warn('shutdown_forced', { signal });
      finish(1);
    } else if (action === 'repeat') {
      logger.info('shutdown_signal_repeated', { signal, note: 'the shutdown already in progress goes on; a second SIGINT (Ctrl-C) a second or more after the first forces exit' });
    } else {
      void shutdown(signal);
    }
  }

  function onFatal(kind: 'uncaught_exception' | 'unhandled_rejection') {
    return function fatalHandler(error: unknown): void {
      health.markStopping();
      logger.error(kind, { error });
      options.observability?.captureException(error, { tags: { fatal: kind } });
      void flushAll().finally(() => finish(1));
    };
  }
  const onUncaught = onFatal('uncaught_exception');
  const onUnhandled = onFatal('unhandled_rejection');

  function installProcessHandlers(): void {
    if (options.handleProcessEvents === false) return;
    for (const signal of signals) process.on(signal, onSignal);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUnhandled);
  }

  function removeProcessHandlers(): void {
    if (options.handleProcessEvents === false) return;
    for (const signal of signals) process.off(signal, onSignal);
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUnhandled);
  }

  async function runShutdownHooks(): Promise<boolean> {
    let clean = true;
    for (const hook of [...shutdownHooks].reverse()) {
      const begin = process.hrtime.bigint();
      logger.info('shutdown_hook_started', { hook: hook.name });
      const outcome = await runWithTimeout(hook.run, hook.timeoutMs);
      const durationMs = msSince(begin);
      if (outcome.status === 'ok') logger.info('shutdown_hook_finished', { hook: hook.name, duration_ms: durationMs });
      else if (outcome.status === 'timed_out') logger.error('shutdown_hook_timed_out', { hook: hook.name, timeout_ms: hook.timeoutMs });
      else logger.error('shutdown_hook_failed', { hook: hook.name, duration_ms: durationMs, error: outcome.error });
      if (outcome.status !== 'ok') clean = false;
    }
    return clean;
  }

  async function runShutdown(reason: string, failed: boolean): Promise<number> {
    const begin = process.hrtime.bigint();
    health.markStopping();
    loadShedder.close();
    // With the real process.exit, a shutdown that stalls with nothing left on the event loop
    // would otherwise end the process with 0 before the sequence finished.
    if (options.exit === undefined) process.exitCode = 1;
    logger.info('shutdown_started', { reason, delay_ms: delayMs, timeout_ms: drainTimeoutMs, in_flight: drain?.inFlight() ?? 0, force: 'Ctrl-C again (SIGINT) after a second forces exit' });
    let clean = !failed;
    // Startup work still going (a store that is being opened, a retry's wait) is told to stop, and
    // what it opened meanwhile is in place before the shutdown hooks close it.
    startupAbort.abort(new Error('shutdown began during startup'));
    await runWithTimeout(() => startupWork, hookTimeoutMs);
    if (server?.listening === true && drain !== undefined) {
      // Readiness is already 503; keep serving while load balancers notice and stop sending, and
      // tell keep-alive clients to take their next request elsewhere.
      drain.startDraining();
      await sleep(delayMs);
      logger.info('server_closing', { in_flight: drain.inFlight() });
      const closeBegin = process.hrtime.bigint();
      const inFlightAtClose = drain.inFlight();
      if (await drain.close(drainTimeoutMs)) {
        logger.info('server_closed', { duration_ms: msSince(closeBegin), drained_requests: inFlightAtClose });
      } else {
        logger.error('shutdown_deadline_exceeded', { timeout_ms: drainTimeoutMs, cut_requests: drain.inFlight() });
        clean = false;
      }
    }
    if (!(await runShutdownHooks())) clean = false;
    const code = clean ? 0 : 1;
    const sentryFlushed = await (options.observability?.flush(flushTimeoutMs).catch(() => false) ?? Promise.resolve(true));
    logger.info('shutdown_complete', { exit_code: code, duration_ms: msSince(begin), sentry_flushed: sentryFlushed });
    await runWithTimeout(() => logger.flush(), flushTimeoutMs);
    finish(code);
    return code;
  }

  function shutdown(reason = 'shutdown', failed = false): Promise<number> {
    shuttingDown ??= runShutdown(reason, failed);
    return shuttingDown;
  }

  function listen(app: RequestListener): Promise<StartedService> {
    // Slow clients (slowloris, trickled bodies) are cut after REQUEST_TIMEOUT_MS, checked often
    // enough to matter (Node checks every 30 s by default).
    const requestTimeout = config.REQUEST_TIMEOUT_MS ?? 30_000;
    const created = createServer(
      {
        requestTimeout,
        headersTimeout: Math.min(requestTimeout, 20_000),
        connectionsCheckingInterval: Math.max(250, Math.min(5000, Math.floor(requestTimeout / 4))),
        // Node would answer a missing Host with a bare 400; the pipeline answers it in the unified shape.
        requireHostHeader: false,
      },
      app,
    );
    server = created;
    drain = trackServer(created);
    created.on('clientError', clientErrorHandler(logger));
    // Above a load balancer's idle timeout (60 s on most), so it never reuses a socket we closed.
    created.keepAliveTimeout = config.KEEP_ALIVE_TIMEOUT_MS ?? 65_000;
    const host = config.HOST ?? '0.0.0.0';
    return new Promise<StartedService>((resolve, reject) => {
      created.once('error', reject);
      created.listen(config.PORT ?? 8000, host, () => {
        created.off('error', reject);
        const { port } = created.address() as AddressInfo;
        const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
        resolve({ server: created, port, url: `http://${shownHost}:${port}` });
      });
    });
  }

  async function start(app: RequestListener): Promise<StartedService> {
    if (started) throw new Error('lifecycle.start() was already called');
    started = true;
    const begin = process.hrtime.bigint();
    installProcessHandlers();
    const service = await listen(app).catch(async (error: unknown) => {
      // A busy or forbidden port is an operator's mistake, not a bug: one line that says what to do.
      const code = (error as { code?: unknown }).code;
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        const port = config.PORT ?? 8000;
        const problem = code === 'EADDRINUSE' ? 'is already in use by another process' : 'may not be opened by this user';
        logger.error('startup_failed', { reason: `port ${port} on ${config.HOST ?? '0.0.0.0'} ${problem}: stop the other process or set PORT to another port`, code });
      } else {
        logger.error('startup_failed', { error });
      }
      await shutdown('startup_failed', true);
      throw error;
    });
    logger.info('server_listening', { url: service.url });
    startupWork = (async () => {
      for (const hook of startupHooks) {
        if (shuttingDown !== undefined) return;
        await runStartupHook(hook, startupAbort.signal, logger);
      }
    })();
    try {
      await startupWork;
    } catch (error) {
      // Shutdown began while a hook waited: not a failure of startup, and shutdown is under way.
      if (startupAbort.signal.aborted) return service;
      logger.error('startup_failed', { error });
      await shutdown('startup_failed', true);
      throw error;
    }
    if (shuttingDown === undefined) {
      health.markReady();
      loadShedder.start();
      logger.info('service_ready', { startup_ms: msSince(begin) });
    }
    return service;
  }

  return {
    health,
    loadShedder,
    addStartupHook(name, hook, hookOptions = {}) {
      if (started) throw new Error(`startup hook "${name}" added after start()`);
      startupHooks.push({ name, run: hook, ...(hookOptions.retry === undefined ? {} : { retry: hookOptions.retry }) });
    },
    addShutdownHook(name, hook, hookOptions = {}) {
      if (shuttingDown !== undefined) throw new Error(`shutdown hook "${name}" added after shutdown began`);
      const timeoutMs = hookOptions.timeoutMs ?? hookTimeoutMs;
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError(`shutdown hook "${name}": timeoutMs must be a positive number`);
      shutdownHooks.push({ name, run: hook, timeoutMs });
    },
    start,
    shutdown: (reason) => shutdown(reason),
  };
}
