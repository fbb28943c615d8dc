import { traceFromHeader, type RequestContext } from '../../src/public/context.js';

/** The scope of an incoming request whose handler calls another service, with a W3C trace to continue. */
export const callerContext: RequestContext = {
  requestId: '0b7c6f1e-2a4d-4c1b-9f6e-3d2a1b0c9e8f',
  correlationId: 'corr-123',
  trace: traceFromHeader('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'),
  method: 'GET',
  path: '/orders',
  userId: undefined,
};

/** A traceparent continuing {@link callerContext}'s trace with a new span of its own. */
export const CHILD_TRACEPARENT = /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/;
