import type { Logger } from '../logging/logger.js';
import type { CircuitBreakerRegistry } from './circuit-breaker.js';
import { resolveRetryOptions, type ResolvedRetryOptions, type RetryOptions } from './retry.js';

/** Time limits of a call, in milliseconds. */
export interface TimeoutOptions {
  /** Making a new connection (name lookup, TCP and TLS), per attempt; a pooled one is reused without it. @default 5000 */
  readonly connect?: number;
  /** One attempt, from sending to the last byte of the response. @default 30000 */
  readonly response?: number;
  /** The whole call: every attempt and every backoff wait. @default 60000 */
  readonly deadline?: number;
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Where the upstream lives (`http://billing:8080` or with a path prefix); from configuration only. */
  readonly baseUrl: string;
  /** Logs one `http_client_call` line per call and the breaker's state changes. */
  readonly logger: Logger;
  /** Logical name of the upstream in logs and errors. @default the origin */
  readonly service?: string;
  /** Time limits; each can be overridden per call. @default { connect: 5000, response: 30000, deadline: 60000 } */
  readonly timeouts?: TimeoutOptions;
  /** Retry policy, or `false` for none. @default DEFAULT_RETRY (3 retries of idempotent calls on 502/503/504 and network errors) */
  readonly retry?: RetryOptions | false;
  /** Breakers by origin. @default defaultCircuitBreakers(), shared by the whole process */
  readonly breakers?: CircuitBreakerRegistry;
  /** Headers sent on every call (e.g. `accept`). @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** Largest response body read, in bytes as decoded (after gzip, deflate or br); a bigger one fails the call with UPSTREAM_ERROR. @default 10485760 (10 MiB) */
  readonly maxResponseBytes?: number;
}

/** {@link HttpClientOptions} after defaults and checks. @internal */
export interface ResolvedHttpClientOptions {
  readonly base: URL;
  readonly origin: string;
  readonly service: string | undefined;
  readonly logger: Logger;
  readonly timeouts: Required<TimeoutOptions>;
  readonly retry: ResolvedRetryOptions;
  readonly breakers: CircuitBreakerRegistry | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly maxResponseBytes: number;
}

/**
 * The client's time limits from docs/contract.md "Outgoing calls".
 *
 * @example
 * createHttpClient({ baseUrl, logger, timeouts: { ...DEFAULT_TIMEOUTS, response: 5_000 } });
 */
export const DEFAULT_TIMEOUTS: Required<TimeoutOptions> = Object.freeze({
  connect: 5_000,
  response: 30_000,
  deadline: 60_000,
});

/**
 * Merges timeouts over a base and rejects non-positive ones. @internal
 */
export function resolveTimeouts(
  base: Required<TimeoutOptions>,
  override: TimeoutOptions | undefined,
): Required<TimeoutOptions> {
  const timeouts = { ...base, ...override };
  for (const key of ['connect', 'response', 'deadline'] as const) {
    const value = timeouts[key];
    if (!Number.isInteger(value) || value < 1)
      throw new TypeError(`timeouts.${key} must be a positive integer (ms), got ${String(value)}`);
  }
  return timeouts;
}

/** Resolves and checks client options once, at creation. @internal */
export function resolveHttpClientOptions(options: HttpClientOptions): ResolvedHttpClientOptions {
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new TypeError(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(options.baseUrl)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new TypeError(`baseUrl must use http or https, got ${base.protocol}`);
  if (base.username !== '' || base.password !== '')
    throw new TypeError('baseUrl must not carry credentials; send them as a header');
  if (base.search !== '' || base.hash !== '') throw new TypeError('baseUrl must not have a query string or fragment');
  const maxResponseBytes = options.maxResponseBytes ?? 10 * 1024 * 1024;
  if (!Number.isInteger(maxResponseBytes) || maxResponseBytes < 1)
    throw new TypeError(`maxResponseBytes must be a positive integer, got ${String(maxResponseBytes)}`);
  return {
    base,
    origin: base.origin,
    service: options.service,
    logger: options.logger,
    timeouts: resolveTimeouts(DEFAULT_TIMEOUTS, options.timeouts),
    retry: resolveRetryOptions(options.retry),
    breakers: options.breakers,
    headers: Object.fromEntries(
      Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    maxResponseBytes,
  };
}
