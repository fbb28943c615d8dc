import { errorCategory } from './categories.js';

/** One failed constraint of a validation error. */
export interface ErrorDetail {
  /** Dot path of the offending value, without the location word (`title`, `limit`, `id`). */
  readonly field: string;
  /** Human-readable explanation, safe to show. */
  readonly message: string;
  /** Stable machine id of the failed rule (`missing`, `string_too_long`, ...). */
  readonly type: string;
}

/** Options of {@link ServiceError} beyond its four positional values. */
export interface ServiceErrorOptions {
  /** The underlying error; logged, never sent to the client. */
  readonly cause?: unknown;
  /** Response headers that belong to this error (`Allow`, `Retry-After`). */
  readonly headers?: Readonly<Record<string, string>>;
}

// Symbol.for so two copies of @org/platform in one process still recognise each other's errors.
const SERVICE_ERROR_BRAND = Symbol.for('@org/platform/ServiceError');

/**
 * The one error type that becomes an HTTP error response. Throw it (or build it with
 * `createError(code)`) anywhere; the platform's error handler renders it in the unified shape.
 *
 * @example
 * throw new ServiceError(404, 'Entity not found', 'ENTITY_NOT_FOUND');
 */
export class ServiceError extends Error {
  override readonly name: string = 'ServiceError';
  /** HTTP status of the response. */
  readonly status: number;
  /** Machine code, UPPER_SNAKE_CASE, from an error-code registry. */
  readonly code: string;
  /** Per-field problems (validation errors only). */
  readonly details: readonly ErrorDetail[] | undefined;
  /** Headers to send with the error response. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly [SERVICE_ERROR_BRAND] = true;

  constructor(
    status: number,
    message: string,
    code: string,
    details?: readonly ErrorDetail[],
    options: ServiceErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`ServiceError status must be an integer from 400 to 599, got ${String(status)}`);
    }
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = options.headers;
  }

  /** The `error` category derived from the status (never supplied by the thrower). */
  get category(): string {
    return errorCategory(this.status);
  }
}

/**
 * Whether a value is a {@link ServiceError}, also one made by another copy of the platform.
 * Reads the brand, not `instanceof`.
 */
export function isServiceError(value: unknown): value is ServiceError {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SERVICE_ERROR_BRAND] === true
  );
}
