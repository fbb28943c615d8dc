import { ServiceError, type ErrorDetail, type ServiceErrorOptions } from './service-error.js';

/** Status and default message of one error code. */
export interface ErrorCodeDefinition {
  readonly status: number;
  readonly message: string;
  /** What the code means, for the documentation table. */
  readonly description: string;
}

/** Overrides when building an error from a registered code. */
export interface CreateErrorOptions extends ServiceErrorOptions {
  readonly message?: string;
  readonly details?: readonly ErrorDetail[];
}

/** An error-code registry: the codes, and a factory that builds their errors. */
export interface ErrorCodeRegistry<C extends string> {
  readonly codes: Readonly<Record<C, ErrorCodeDefinition>>;
  /** Builds the {@link ServiceError} of a registered code. */
  create(code: C, options?: CreateErrorOptions): ServiceError;
}

const CODE_PATTERN = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/**
 * Declares a registry of error codes (UPPER_SNAKE_CASE code → status and default message).
 * Services declare their own codes with it; the platform's codes are in {@link platformErrors}.
 *
 * @example
 * const entityErrors = defineErrorCodes({
 *   ENTITY_NOT_FOUND: { status: 404, message: 'Entity not found', description: 'No such entity for this owner' },
 * });
 * throw entityErrors.create('ENTITY_NOT_FOUND');
 */
export function defineErrorCodes<C extends string>(codes: Record<C, ErrorCodeDefinition>): ErrorCodeRegistry<C> {
  for (const [code, def] of Object.entries<ErrorCodeDefinition>(codes)) {
    if (!CODE_PATTERN.test(code)) throw new TypeError(`error code ${code} is not UPPER_SNAKE_CASE`);
    if (!Number.isInteger(def.status) || def.status < 400 || def.status > 599) {
      throw new TypeError(`error code ${code} has status ${String(def.status)}, expected 400-599`);
    }
  }
  const frozen = Object.freeze({ ...codes });
  return Object.freeze({
    codes: frozen,
    create(code: C, options: CreateErrorOptions = {}): ServiceError {
      const def = frozen[code];
      return new ServiceError(def.status, options.message ?? def.message, code, options.details, options);
    },
  });
}

/**
 * Every error code the platform itself produces. The README's error table is generated from
 * this registry's shape and a test keeps the two in step.
 */
export const platformErrors = defineErrorCodes({
  BAD_REQUEST: {
    status: 400,
    message: 'The request could not be understood.',
    description: 'A malformed request the platform could not classify further (bad URL encoding, aborted body).',
  },
  INVALID_JSON: {
    status: 400,
    message: 'Request body is not valid JSON.',
    description: 'The body was declared as JSON but does not parse.',
  },
  IDEMPOTENCY_KEY_INVALID: {
    status: 400,
    message: 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
    description: 'The `Idempotency-Key` header is empty, too long, repeated, or has characters outside visible ASCII.',
  },
  IDEMPOTENCY_KEY_MISSING: {
    status: 400,
    message: 'This route needs an Idempotency-Key header.',
    description: 'The route requires an `Idempotency-Key` and the request has none.',
  },
  AUTH_MISSING_TOKEN: {
    status: 401,
    message: 'Missing authentication token',
    description: 'No bearer token and no `__session` cookie.',
  },
  AUTH_EXPIRED_TOKEN: {
    status: 401,
    message: 'Token expired',
    description: 'The session token is past its expiry (5 s skew allowed).',
  },
  AUTH_INVALID_TOKEN: {
    status: 401,
    message: 'Authentication failed',
    description:
      'Any other verification failure: signature, key, algorithm, not yet valid, authorized party, missing claims, garbage.',
  },
  FORBIDDEN: {
    status: 403,
    message: 'You do not have permission to do this.',
    description: 'Authenticated, but a required role is missing.',
  },
  ROUTE_NOT_FOUND: { status: 404, message: 'Route not found.', description: 'No route matches the path.' },
  METHOD_NOT_ALLOWED: {
    status: 405,
    message: 'Method not allowed.',
    description: 'The path exists, not with this method; the `Allow` header lists the methods that are.',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    message: 'The request did not arrive in time.',
    description: 'Headers or body took longer than REQUEST_TIMEOUT_MS (slow clients are cut).',
  },
  CONFLICT: {
    status: 409,
    message: 'The request conflicts with the current state.',
    description: 'A uniqueness or state conflict.',
  },
  IDEMPOTENCY_KEY_IN_FLIGHT: {
    status: 409,
    message: 'A request with this Idempotency-Key is still being processed; retry later.',
    description: 'The first request with this key has not finished; sent with `Retry-After`. Nothing is recorded.',
  },
  PRECONDITION_FAILED: {
    status: 412,
    message: 'The resource has changed since you read it.',
    description:
      "`If-Match` names none of the resource's current tags (it changed since it was read); nothing was changed.",
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    message: 'Request body is too large.',
    description: 'The body exceeds BODY_LIMIT.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Request body must be application/json.',
    description: 'A body was sent with another content type or encoding.',
  },
  VALIDATION_FAILED: {
    status: 422,
    message: 'Request validation failed.',
    description: 'Path, query or body failed validation; `details` lists each failed constraint.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    message: 'This Idempotency-Key was already used with another request.',
    description: 'The key was first used with another method, route or body; keys are single-use.',
  },
  RATE_LIMITED: { status: 429, message: 'Too many requests.', description: 'A rate limit was hit.' },
  HEADERS_TOO_LARGE: {
    status: 431,
    message: 'Request headers or URL are too large.',
    description: "The request line and headers exceed Node's 16 kB limit.",
  },
  INTERNAL_ERROR: {
    status: 500,
    message: 'An unexpected error occurred.',
    description: 'An unhandled error; its text is logged, never sent.',
  },
  UPSTREAM_ERROR: {
    status: 502,
    message: 'An upstream service failed.',
    description: 'An upstream answered 5xx after retries.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    message: 'Service unavailable.',
    description: 'The service cannot serve this request right now.',
  },
  SERVICE_NOT_CONFIGURED: {
    status: 503,
    message: 'An upstream service is not configured.',
    description: 'The `{NAME}_URL` of a called service is not set.',
  },
  CIRCUIT_OPEN: {
    status: 503,
    message: 'An upstream service is failing; the call was not attempted.',
    description: 'The circuit breaker of that upstream origin is open.',
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    message: 'The database is unavailable.',
    description: 'The data store could not be reached.',
  },
  AUTH_UNAVAILABLE: {
    status: 503,
    message: 'Authentication is temporarily unavailable.',
    description: 'The signing keys could not be fetched.',
  },
  OVERLOADED: {
    status: 503,
    message: 'The service is overloaded; retry later.',
    description: 'Load shedding; sent with `Retry-After`.',
  },
  UPSTREAM_TIMEOUT: {
    status: 504,
    message: 'An upstream service did not answer in time.',
    description: 'An upstream call ran out of time.',
  },
});

/** A code of the platform's own registry. */
export type PlatformErrorCode = keyof typeof platformErrors.codes;

/**
 * Builds the {@link ServiceError} of one of the platform's codes.
 *
 * @example
 * throw createError('SERVICE_NOT_CONFIGURED', { message: 'Billing service not configured' });
 */
export function createError(code: PlatformErrorCode, options?: CreateErrorOptions): ServiceError {
  return platformErrors.create(code, options);
}
