export { getRequestContext, runWithRequestContext, tryGetRequestContext, type RequestContext, type TraceContext } from './request-context.js';
export { childTraceparent, newSpanId, traceFromHeader } from './trace.js';
