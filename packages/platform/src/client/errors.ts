import { platformErrors } from '../errors/codes.js';
import { ServiceError } from '../errors/service-error.js';

/** The codes the HTTP client fails with; all are in the platform's registry. */
export type UpstreamErrorCode = 'UPSTREAM_ERROR' | 'UPSTREAM_TIMEOUT' | 'CIRCUIT_OPEN' | 'SERVICE_NOT_CONFIGURED';

/** Where a failed outgoing call went: kept on the error for logs and for callers that branch. */
export interface UpstreamErrorInfo {
  /** Logical service name, for clients made by `serviceClient`. */
  readonly service?: string | undefined;
  /** `scheme://host:port` of the upstream; undefined when it is not configured. */
  readonly origin?: string | undefined;
  readonly method?: string | undefined;
  /** Path without query string. */
  readonly path?: string | undefined;
  /** The upstream's last HTTP status, when it answered at all. */
  readonly upstreamStatus?: number | undefined;
  /** Attempts made (0 when the call failed before any I/O). */
  readonly attempts?: number | undefined;
  readonly message?: string | undefined;
  readonly cause?: unknown;
}

// Symbol.for, like ServiceError's brand, so two copies of the platform recognise each other's errors.
const UPSTREAM_ERROR_BRAND = Symbol.for('@org/platform/UpstreamError');

/**
 * A failed outgoing call. It is a {@link ServiceError}, so when it reaches a route handler
 * uncaught the error handler renders it in the unified shape with the registry's generic
 * message: the upstream's body is never part of it. The details stay on the error.
 *
 * @example
 * try { await billing.get('/invoices/1'); }
 * catch (error) { if (isUpstreamError(error) && error.code === 'CIRCUIT_OPEN') return cachedInvoice(); throw error; }
 */
export class UpstreamError extends ServiceError {
  override readonly name: string = 'UpstreamError';
  declare readonly code: UpstreamErrorCode;
  readonly service: string | undefined;
  readonly origin: string | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly upstreamStatus: number | undefined;
  readonly attempts: number;
  readonly [UPSTREAM_ERROR_BRAND] = true;

  constructor(code: UpstreamErrorCode, info: UpstreamErrorInfo = {}) {
    const def = platformErrors.codes[code];
    super(
      def.status,
      info.message ?? def.message,
      code,
      undefined,
      info.cause === undefined ? {} : { cause: info.cause },
    );
    this.service = info.service;
    this.origin = info.origin;
    this.method = info.method;
    this.path = info.path;
    this.upstreamStatus = info.upstreamStatus;
    this.attempts = info.attempts ?? 0;
  }
}

/**
 * Whether a value is an {@link UpstreamError} (reads the brand, not `instanceof`).
 *
 * @example
 * if (isUpstreamError(error) && error.upstreamStatus === 503) metrics.upstream503.inc();
 */
export function isUpstreamError(value: unknown): value is UpstreamError {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[UPSTREAM_ERROR_BRAND] === true
  );
}
