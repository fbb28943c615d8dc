/** HTTP methods the client sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** How the random part of a backoff delay is drawn. */
export type RetryJitter = 'full' | 'equal' | 'none';

/**
 * When and how a failed attempt is retried: data only; {@link retryDelay} turns it into a delay.
 * @see https://github.com/sindresorhus/got/blob/main/documentation/7-retry.md (the same idea)
 */
export interface RetryOptions {
  /** Retries after the first attempt (so `limit + 1` attempts at most). @default 3 */
  readonly limit?: number;
  /** Methods retried without the call opting in: the idempotent ones. @default ['GET','HEAD','OPTIONS','PUT','DELETE'] */
  readonly methods?: readonly HttpMethod[];
  /** Upstream statuses worth another attempt. @default [502, 503, 504] */
  readonly statusCodes?: readonly number[];
  /** Network error codes worth another attempt (timeouts are `ETIMEDOUT`). @default see {@link DEFAULT_RETRY} */
  readonly errorCodes?: readonly string[];
  /** First backoff step in ms; step n waits up to `baseDelayMs * 2^(n-1)`. @default 500 */
  readonly baseDelayMs?: number;
  /** Cap of one backoff delay in ms. @default 10000 */
  readonly maxDelayMs?: number;
  /** `full`: uniform in [0, step]; `equal`: step/2 plus uniform in [0, step/2]; `none`: the step. @default 'full' */
  readonly jitter?: RetryJitter;
  /** Longest `Retry-After` honoured in ms; a longer one ends the retries instead. @default 30000 */
  readonly maxRetryAfterMs?: number;
}

/** {@link RetryOptions} with every field set. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/**
 * The retry defaults of docs/contract.md "Outgoing calls".
 *
 * @example
 * createHttpClient({ baseUrl, retry: { ...DEFAULT_RETRY, limit: 1 } });
 */
export const DEFAULT_RETRY: ResolvedRetryOptions = Object.freeze({
  limit: 3,
  methods: Object.freeze(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'] as const),
  statusCodes: Object.freeze([502, 503, 504]),
  errorCodes: Object.freeze([
    'ECONNRESET',
    'ECONNREFUSED',
    'ETIMEDOUT',
    'EPIPE',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'ECONNABORTED',
  ]),
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  jitter: 'full',
  maxRetryAfterMs: 30_000,
});

/**
 * Merges retry options over {@link DEFAULT_RETRY} and rejects nonsense once, at client creation.
 *
 * @example
 * resolveRetryOptions({ limit: 1 }).limit // 1
 */
export function resolveRetryOptions(options: RetryOptions | false | undefined): ResolvedRetryOptions {
  if (options === false) return { ...DEFAULT_RETRY, limit: 0 };
  const resolved: ResolvedRetryOptions = { ...DEFAULT_RETRY, ...options };
  for (const key of ['limit', 'baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 0)
      throw new TypeError(`retry.${key} must be a non-negative integer, got ${String(value)}`);
  }
  if (!['full', 'equal', 'none'].includes(resolved.jitter))
    throw new TypeError(`retry.jitter must be full, equal or none, got ${String(resolved.jitter)}`);
  return resolved;
}

/**
 * Milliseconds to wait as told by a `Retry-After` value (delay-seconds or an HTTP date),
 * or `undefined` when it is absent or unreadable. A date in the past means 0.
 *
 * @example
 * parseRetryAfter('2', Date.now()) // 2000
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  // Date.parse accepts many shapes; HTTP dates always name a weekday and GMT.
  if (Number.isNaN(date) || !/GMT$/i.test(text)) return undefined;
  return Math.max(0, date - now);
}

/** What {@link retryDelay} needs to know about the attempt that just failed. */
export interface RetryDelayInput {
  /** Number of the retry about to happen: 1 for the first retry. */
  readonly retry: number;
  readonly options: ResolvedRetryOptions;
  /** The failed attempt's `Retry-After` header, if any. */
  readonly retryAfter?: string | undefined;
  /** Clock for HTTP-date `Retry-After`. @default Date.now() */
  readonly now?: number;
  /** Uniform random number in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/**
 * The pure delay function: milliseconds before retry number `retry`, or `undefined` when the
 * retries must stop (limit reached, or `Retry-After` longer than `maxRetryAfterMs`).
 * Exponential backoff (base × 2^(retry-1), capped at `maxDelayMs`) with jitter; a readable
 * `Retry-After` replaces the backoff.
 *
 * @example
 * retryDelay({ retry: 1, options: DEFAULT_RETRY, random: () => 0.5 }) // 250 (full jitter of 500)
 * retryDelay({ retry: 1, options: DEFAULT_RETRY, retryAfter: '3' })    // 3000
 */
export function retryDelay(input: RetryDelayInput): number | undefined {
  const { retry, options } = input;
  if (retry < 1 || retry > options.limit) return undefined;
  const told = parseRetryAfter(input.retryAfter, input.now ?? Date.now());
  if (told !== undefined) return told > options.maxRetryAfterMs ? undefined : told;
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  const random = input.random ?? Math.random;
  switch (options.jitter) {
    case 'full':
      return Math.floor(random() * step);
    case 'equal':
      return Math.floor(step / 2 + random() * (step / 2));
    case 'none':
      return step;
  }
}

/**
 * Whether a call may be retried at all: its method is idempotent, or the call opted in
 * (`retry: true` or an idempotency key); `retry: false` turns retries off for that call.
 *
 * @example
 * mayRetry('POST', DEFAULT_RETRY, undefined) // false
 * mayRetry('POST', DEFAULT_RETRY, true)      // true
 */
export function mayRetry(method: HttpMethod, options: ResolvedRetryOptions, optIn: boolean | undefined): boolean {
  if (optIn !== undefined) return optIn;
  return options.methods.includes(method);
}
