export { ERROR_CATEGORIES, errorCategory } from './categories.js';
export { ServiceError, isServiceError, type ErrorDetail, type ServiceErrorOptions } from './service-error.js';
export {
  createError,
  defineErrorCodes,
  platformErrors,
  type CreateErrorOptions,
  type ErrorCodeDefinition,
  type ErrorCodeRegistry,
  type PlatformErrorCode,
} from './codes.js';
export { toErrorBody, type ErrorBody } from './error-body.js';
export { renderErrorCodeTable } from './describe.js';
export type { ErrorCode, ErrorRegistries } from './registered-codes.js';
