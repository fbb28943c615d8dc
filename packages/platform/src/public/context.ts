/**
 * @org/platform/context: the request context the pipeline opens (request id, correlation id,
 * trace), for code that reads it or opens one outside HTTP (a queue consumer).
 * @packageDocumentation
 */
export {
  getRequestContext,
  type RequestContext,
  runWithRequestContext,
  tryGetRequestContext,
} from '../context/request-context.js';
export { childTraceparent, traceFromHeader } from '../context/trace.js';
