import { createError } from '../errors/codes.js';
import type { ServiceError } from '../errors/service-error.js';

// 1-255 visible ASCII characters (RFC 5234 VCHAR): no space, no control character, nothing beyond ASCII.
const KEY = /^[\x21-\x7E]{1,255}$/;

/**
 * The request's `Idempotency-Key`: `undefined` without one, the key, or the 400
 * `IDEMPOTENCY_KEY_INVALID` a malformed one gets (repeated headers arrive joined by `, ` and so
 * are malformed too).
 * @internal
 */
export function readIdempotencyKey(value: string | string[] | undefined): string | undefined | ServiceError {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !KEY.test(value)) return createError('IDEMPOTENCY_KEY_INVALID');
  return value;
}
