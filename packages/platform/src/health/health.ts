import type { Logger } from '../logging/logger.js';
import { runCheck, type HealthCheckFn } from './run-check.js';

/** Where the service is in its life: readiness is 200 only while `ready`. */
export type HealthPhase = 'starting' | 'ready' | 'stopping';

/** Options of one readiness check. */
export interface HealthCheckOptions {
  /** A failing critical check makes `/readyz` 503; a non-critical one only `degraded` (still 200). @default true */
  readonly critical?: boolean;
  /** How long the check may take before it counts as failed. @default the registry's `defaultTimeoutMs` (2000) */
  readonly timeoutMs?: number;
}

/** One check's entry in the readiness report. */
export interface CheckReport {
  readonly status: 'ok' | 'error';
  readonly duration_ms: number;
  /** Present (false) only on non-critical checks. */
  readonly critical?: false;
}

/** The body of `/readyz`. */
export interface ReadinessReport {
  readonly status: 'ready' | 'degraded' | 'not_ready';
  /**
   * Why readiness is 503 whatever the checks say: `starting` (startup hooks still running; the
   * checks are run and reported, to show what is missing) or `shutting_down` (no checks run).
   */
  readonly reason?: 'starting' | 'shutting_down';
  readonly checks: Readonly<Record<string, CheckReport>>;
}

/** The readiness state and check registry of one service. */
export interface Health {
  /** Registers a readiness check; names are unique. */
  addCheck(name: string, check: HealthCheckFn, options?: HealthCheckOptions): void;
  /** The current phase. */
  readonly phase: HealthPhase;
  /** Startup work has finished: readiness may answer 200 from now on. */
  markReady(): void;
  /** Shutdown has begun: readiness answers 503 at once from now on, for good. */
  markStopping(): void;
  /** Runs every check in parallel (concurrent callers share one run) and reports. */
  check(): Promise<ReadinessReport>;
}

/** Options of {@link createHealth}. */
export interface HealthOptions {
  /** Timeout of checks registered without one. @default 2000 */
  readonly defaultTimeoutMs?: number;
  /** Failed checks are logged here (`readiness_check_failed`, with the reason and error). */
  readonly logger?: Logger;
  /** Start in `ready` (an app without startup work, tests). @default false */
  readonly ready?: boolean;
}

interface RegisteredCheck {
  readonly name: string;
  readonly fn: HealthCheckFn;
  readonly critical: boolean;
  readonly timeoutMs: number;
}

const CHECK_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

/**
 * Creates the readiness registry: `starting` until {@link Health.markReady}, `stopping` from
 * {@link Health.markStopping} on. While `starting` the checks run and are reported, but
 * readiness stays 503; while `stopping` it is 503 at once. A check run executes all registered checks in
 * parallel, each under its own timeout; probes arriving while a run is in flight share it, so a
 * burst of probes never multiplies load on the database.
 *
 * @example
 * const health = createHealth({ logger });
 * health.addCheck('database', (signal) => pool.query('select 1', { signal }));
 * health.addCheck('search', () => search.ping(), { critical: false, timeoutMs: 500 });
 * health.markReady();
 */
export function createHealth(options: HealthOptions = {}): Health {
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 2000;
  const { logger } = options;
  const checks = new Map<string, RegisteredCheck>();
  let phase: HealthPhase = options.ready === true ? 'ready' : 'starting';
  let running: Promise<ReadinessReport> | undefined;

  async function runAll(): Promise<ReadinessReport> {
    const list = [...checks.values()];
    const outcomes = await Promise.all(list.map((entry) => runCheck(entry.fn, entry.timeoutMs)));
    const report: Record<string, CheckReport> = {};
    let criticalFailed = false;
    let optionalFailed = false;
    outcomes.forEach((outcome, index) => {
      const entry = list[index]!;
      report[entry.name] = {
        status: outcome.status,
        duration_ms: outcome.durationMs,
        ...(entry.critical ? {} : { critical: false as const }),
      };
      if (outcome.status === 'ok') return;
      if (entry.critical) criticalFailed = true;
      else optionalFailed = true;
      // While starting, failing checks are expected (the startup hooks log why).
      if (phase !== 'ready') return;
      logger?.warn('readiness_check_failed', {
        check: entry.name,
        critical: entry.critical,
        reason: outcome.failure?.reason,
        duration_ms: outcome.durationMs,
        ...(outcome.failure?.error === undefined ? {} : { error: outcome.failure.error }),
      });
    });
    // While starting, the checks show what is still missing; shutdown may have begun while they
    // ran: never answer ready after that.
    if (phase === 'starting') return { status: 'not_ready', reason: 'starting', checks: report };
    if (phase !== 'ready') return stopping();
    const status = criticalFailed ? 'not_ready' : optionalFailed ? 'degraded' : 'ready';
    return { status, checks: report };
  }

  function stopping(): ReadinessReport {
    return { status: 'not_ready', reason: 'shutting_down', checks: {} };
  }

  return {
    addCheck(name, fn, checkOptions = {}) {
      if (!CHECK_NAME.test(name)) throw new TypeError(`health check name "${name}" must match ${String(CHECK_NAME)}`);
      if (checks.has(name)) throw new TypeError(`health check "${name}" is already registered`);
      const timeoutMs = checkOptions.timeoutMs ?? defaultTimeoutMs;
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
        throw new TypeError(`health check "${name}": timeoutMs must be a positive number`);
      checks.set(name, { name, fn, critical: checkOptions.critical ?? true, timeoutMs });
    },
    get phase() {
      return phase;
    },
    markReady() {
      if (phase === 'starting') phase = 'ready';
    },
    markStopping() {
      phase = 'stopping';
    },
    check() {
      if (phase === 'stopping') return Promise.resolve(stopping());
      running ??= runAll().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
