import type { ErrorDetail, ServiceError } from './service-error.js';

/** The unified error body every service sends. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly code: string;
  readonly request_id: string;
  readonly details?: readonly ErrorDetail[];
}

/** Renders a {@link ServiceError} as the unified body. */
export function toErrorBody(error: ServiceError, requestId: string): ErrorBody {
  const body: ErrorBody = { error: error.category, message: error.message, code: error.code, request_id: requestId };
  return error.details === undefined ? body : { ...body, details: error.details };
}
