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
  const headers: Record<string, string> = {};
  addPropagationHeaders(headers);
  return headers;
}

/**
 * Adds the {@link propagationHeaders} that `headers` does not already have, in place: what a
 * call sets itself wins. The HTTP client's transport calls it before each attempt, so the
 * headers object is built once per attempt rather than merged in. @internal
 */
export function addPropagationHeaders(headers: Record<string, string | string[] | undefined>): void {
  const context = tryGetRequestContext();
  if (context === undefined) return;
  headers['x-request-id'] ??= context.requestId;
  headers['x-correlation-id'] ??= context.correlationId;
  headers.traceparent ??= childTraceparent(context.trace);
}
