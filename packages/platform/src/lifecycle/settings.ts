import Joi from 'joi';
import { platformConfigFields, type PlatformConfig } from '../config/platform-fields.js';

/** The config fields the lifecycle reads; each falls back to the platform default. */
export type LifecycleConfig = Partial<
  Pick<
    PlatformConfig,
    | 'PORT'
    | 'HOST'
    | 'SHUTDOWN_DELAY_MS'
    | 'SHUTDOWN_TIMEOUT_MS'
    | 'SHUTDOWN_HOOK_TIMEOUT_MS'
    | 'KEEP_ALIVE_TIMEOUT_MS'
    | 'READINESS_TIMEOUT_MS'
    | 'OVERLOAD_MAX_EVENT_LOOP_DELAY_MS'
    | 'REQUEST_TIMEOUT_MS'
  >
>;

/** What the lifecycle runs with: every option and config field resolved once, at creation. @internal */
export interface LifecycleSettings {
  readonly port: number;
  readonly host: string;
  /** Keep serving with readiness at 503 for this long after the signal. */
  readonly shutdownDelayMs: number;
  /** How long in-flight requests may take once the server stops accepting. */
  readonly drainTimeoutMs: number;
  /** The default time of each shutdown hook, and how long unfinished startup work is waited for. */
  readonly hookTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly readinessTimeoutMs: number;
  /** 0: no load shedding. */
  readonly maxEventLoopDelayMs: number;
  readonly requestTimeoutMs: number;
  readonly flushTimeoutMs: number;
  readonly signals: readonly NodeJS.Signals[];
  readonly handleProcessEvents: boolean;
}

/** What {@link resolveLifecycleSettings} reads. @internal */
export interface SettingsInput {
  readonly config?: LifecycleConfig;
  readonly signals?: readonly NodeJS.Signals[];
  readonly handleProcessEvents?: boolean;
  readonly flushTimeoutMs?: number;
}

// The config's own defaults for these fields, as loadConfig gives them with nothing set (local
// mode): declared once, in the config's fields, and read from there.
function configDefaults(): Required<LifecycleConfig> {
  const keys = [
    'ENVIRONMENT',
    'PORT',
    'HOST',
    'SHUTDOWN_DELAY_MS',
    'SHUTDOWN_TIMEOUT_MS',
    'SHUTDOWN_HOOK_TIMEOUT_MS',
    'KEEP_ALIVE_TIMEOUT_MS',
    'READINESS_TIMEOUT_MS',
    'OVERLOAD_MAX_EVENT_LOOP_DELAY_MS',
    'REQUEST_TIMEOUT_MS',
  ] as const;
  const schema = Joi.object<Required<LifecycleConfig>>(
    Object.fromEntries(keys.map((key) => [key, platformConfigFields[key].schema])),
  );
  const result = schema.validate({});
  if (result.error !== undefined) throw result.error;
  return result.value;
}

/**
 * Resolves the lifecycle's settings once: each config field as given, else the config's own
 * default (what `loadConfig()` gives in local mode: HOST 127.0.0.1, PORT 8000, no shutdown delay);
 * the lifecycle's own options with their defaults.
 * @internal
 */
export function resolveLifecycleSettings(input: SettingsInput): LifecycleSettings {
  const config = { ...configDefaults(), ...definedOnly(input.config ?? {}) };
  const signals: readonly NodeJS.Signals[] = input.signals ?? ['SIGTERM', 'SIGINT'];
  return Object.freeze({
    port: config.PORT,
    host: config.HOST,
    shutdownDelayMs: config.SHUTDOWN_DELAY_MS,
    drainTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    hookTimeoutMs: config.SHUTDOWN_HOOK_TIMEOUT_MS,
    keepAliveTimeoutMs: config.KEEP_ALIVE_TIMEOUT_MS,
    readinessTimeoutMs: config.READINESS_TIMEOUT_MS,
    maxEventLoopDelayMs: config.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    flushTimeoutMs: input.flushTimeoutMs ?? 2000,
    signals,
    handleProcessEvents: input.handleProcessEvents ?? true,
  });
}

// A field given as undefined falls back like one left out (`config.PORT ?? default` did the same).
function definedOnly(config: LifecycleConfig): LifecycleConfig {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
}
