import { Writable } from 'node:stream';
import {
  createLifecycle,
  createLogger,
  isConfigError,
  type ConfigError,
  type Health,
  type Lifecycle,
  type Logger,
  type LoggerOptions,
  type Metrics,
} from '../src/index.js';

/** A logger whose JSON lines are kept in memory for assertions. */
export interface CapturedLogger {
  readonly logger: Logger;
  /** Raw lines as written. */
  readonly lines: string[];
  /** Parsed JSON entries. */
  entries(): Record<string, unknown>[];
  /** Everything written, as one string (for "never appears" scans). */
  text(): string;
}

export function captureLogger(options: Partial<LoggerOptions> = {}): CapturedLogger {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(line);
      callback();
    },
  });
  const logger = createLogger({
    service: 'test-service',
    version: '1.2.3',
    environment: 'local',
    level: 'debug',
    format: 'json',
    ...options,
    stream,
  });
  return {
    logger,
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => lines.join('\n'),
  };
}

/**
 * Clerk variables that satisfy the config outside local (staging and production need a Clerk
 * key, production authorized parties), for tests about something else.
 */
export const CLERK_TEST_ENV: Readonly<Record<string, string>> = Object.freeze({
  CLERK_SECRET_KEY: 'sk_test_platform_tests',
  CLERK_AUTHORIZED_PARTIES: 'https://app.example.com',
});

/** The ConfigError `fn` throws (any other outcome fails the test). */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (isConfigError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/**
 * A lifecycle that is never started, for an app under test: `createServiceApp({ lifecycle })`
 * takes its readiness registry, metrics and (disabled) load shedding, as in a service.
 */
export function testLifecycle(
  options: { readonly logger?: Logger; readonly health?: Health; readonly metrics?: Metrics | false } = {},
): Lifecycle {
  return createLifecycle({
    logger: options.logger ?? captureLogger().logger,
    config: { OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: 0 },
    handleProcessEvents: false,
    exit: () => undefined,
    ...(options.health === undefined ? {} : { health: options.health }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  });
}
