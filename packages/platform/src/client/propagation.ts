import { tryGetRequestContext } from '../context/request-context.js';
import { childTraceparent } from '../context/trace.js';

/**
 * Headers that carry the current request's identity to an upstream: `x-request-id`,
 * `x-correlation-id` and a `traceparent` with a new child span id (new on every call, so each
 * attempt is its own span). Empty outside a request scope: nothing is invented.
 *
 * @example
 * runWithRequestContext(context, () => propagationHeaders()); // { 'x-request-id': ..., 'x-correlation-id': ..., traceparent: '00-...' }
 */
export function propagationHeaders(): Record<string, string> {
  const context = tryGetRequestContext();
  if (context === undefined) return {};
  return {
    'x-request-id': context.requestId,
    'x-correlation-id': context.correlationId,
    traceparent: childTraceparent(context.trace),
  };
}
