import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { runWithRequestContext, type RequestContext, type TraceContext } from '../context/request-context.js';
import { processWide } from '../context/process-wide.js';
import { traceFromHeader } from '../context/trace.js';
import { createError } from '../errors/codes.js';
import { headerStore } from './header-store.js';
import { releaseOnResponseClosed } from './response-closed.js';

/** Correlation ids we accept from callers; anything else could forge log lines. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/** The path of a URL without its query string. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// Beside the response rather than on it (a property added to an Express response costs far more
// than a WeakMap entry: see response-closed.ts), and not in `res.locals`, which a service may
// replace. Read by the access log, body parsing and the error handler. One map per process,
// shared by every copy of the platform.
const contexts = processWide('response-contexts', () => new WeakMap<Response, RequestContext>());

// The entry goes when the response closes, after the access log has read it. Left for the
// collector, a young key's young value in a WeakMap outlives scavenges: on Node 24, V8's young
// generation grew to twice its size and each scavenge paused ~1.75 ms instead of ~0.6
// (bench/README.md, bench/gc-pauses.mjs).
function releaseContext(res: ServerResponse): void {
  contexts().delete(res as Response);
}

/** The per-request context; its trace is worked out on first use (most requests never need it). */
class PipelineRequestContext implements RequestContext {
  userId: string | undefined = undefined;
  #trace: TraceContext | undefined;

  constructor(
    readonly requestId: string,
    readonly correlationId: string,
    readonly method: string,
    readonly path: string,
    readonly traceparent: string | undefined,
  ) {}

  get trace(): TraceContext {
    return (this.#trace ??= traceFromHeader(this.traceparent));
  }
}

/**
 * First middleware of the pipeline: makes the request id (UUID v4; an incoming `X-Request-ID` is
 * ignored), accepts or replaces `X-Correlation-ID`, continues or starts the W3C trace, sets
 * `X-Request-ID` (and `X-Correlation-ID`) on the response before anything can fail, and opens the
 * request scope that logs and the HTTP client read. An HTTP/1.1 request without `Host` (which
 * the lifecycle's server passes on instead of answering it bare) gets 400 `BAD_REQUEST`.
 */
export function requestContext(): RequestHandler {
  // Both values are valid header values by construction (a UUID; an id matching the pattern above).
  const store = headerStore();
  return function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
    const requestId = randomUUID();
    const incoming = headerValue(req.headers['x-correlation-id']);
    const correlationId = incoming !== undefined && CORRELATION_ID_PATTERN.test(incoming) ? incoming : requestId;
    const context = new PipelineRequestContext(
      requestId,
      correlationId,
      req.method,
      pathOf(req.originalUrl),
      headerValue(req.headers.traceparent),
    );
    store.put(res, 'x-request-id', 'X-Request-ID', requestId);
    store.put(res, 'x-correlation-id', 'X-Correlation-ID', correlationId);
    contexts().set(res, context);
    releaseOnResponseClosed(res, releaseContext);
    // The lifecycle's server lets a request without Host through (Node would answer a bare 400),
    // so that it gets its 400 here, with the request id and the unified body.
    if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor >= 1) {
      runWithRequestContext(context, () =>
        next(createError('BAD_REQUEST', { message: 'An HTTP/1.1 request must carry a Host header.' })),
      );
      return;
    }
    runWithRequestContext(context, next);
  };
}

/**
 * The context the pipeline opened for this response, also outside the async scope, until the
 * response has closed and its close listeners have run.
 */
export function contextOf(res: Response): RequestContext | undefined {
  return contexts().get(res);
}
