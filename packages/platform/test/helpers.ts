import { Writable } from 'node:stream';
import { createLogger, isConfigError, type ConfigError, type Logger, type LoggerOptions } from '../src/index.js';

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
  const logger = createLogger({ service: 'test-service', version: '1.2.3', environment: 'local', level: 'debug', format: 'json', ...options, stream });
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
