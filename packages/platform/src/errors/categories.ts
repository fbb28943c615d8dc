import { STATUS_CODES } from 'node:http';

/**
 * The `error` category of the unified error body, by HTTP status.
 * Statuses not listed here fall back to their reason phrase in UPPER_SNAKE_CASE,
 * so an unusual status never turns into `INTERNAL_ERROR` by accident.
 */
export const ERROR_CATEGORIES: Readonly<Record<number, string>> = Object.freeze({
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_ERROR',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
});

/**
 * The category (`error` field) for an HTTP status.
 *
 * @example
 * errorCategory(404) // 'NOT_FOUND'
 * errorCategory(418) // 'IM_A_TEAPOT'
 */
export function errorCategory(status: number): string {
  const known = ERROR_CATEGORIES[status];
  if (known !== undefined) return known;
  const phrase = STATUS_CODES[status];
  if (phrase !== undefined) {
    return phrase
      .replace(/'/g, '')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_|_$/g, '')
      .toUpperCase();
  }
  return status >= 500 ? 'SERVER_ERROR' : 'CLIENT_ERROR';
}
