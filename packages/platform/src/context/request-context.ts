import { AsyncLocalStorage } from 'node:async_hooks';
import { processWide } from './process-wide.js';

/** W3C trace context of the current request. */
export interface TraceContext {
  /** 32 lower-case hex digits, from an incoming `traceparent` or new. */
  readonly traceId: string;
  /** This service's span id for the request: 16 hex digits, always new. */
  readonly spanId: string;
  /** The caller's span id, when a valid `traceparent` came in. */
  readonly parentSpanId: string | undefined;
  /** Trace flags (`01` = sampled). */
  readonly flags: string;
}

/** What the platform knows about the request being served; read by logs and the HTTP client. */
export interface RequestContext {
  /** UUID v4, made by the platform for this request (an incoming `X-Request-ID` is ignored). */
  readonly requestId: string;
  /** The caller's `X-Correlation-ID` when well-formed, else the request id. */
  readonly correlationId: string;
  readonly trace: TraceContext;
  /** Method and path (without query string) of the request. */
  readonly method: string;
  readonly path: string;
  /** Set by authentication once the caller is known. */
  userId: string | undefined;
}

// One store per process, shared by every copy of the platform that is loaded, so a service's
// logger and client see the context that another copy's middleware opened.
const store = processWide('request-context', () => new AsyncLocalStorage<RequestContext>());

/**
 * Runs `fn` inside a request scope. The request-context middleware calls it for every request;
 * tests and background jobs may call it to give their work an identity.
 */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return store().run(context, fn);
}

/** The current request's context, or `undefined` outside a request. */
export function tryGetRequestContext(): RequestContext | undefined {
  return store().getStore();
}

/**
 * The current request's context.
 *
 * @throws Error when called outside a request scope.
 */
export function getRequestContext(): RequestContext {
  const context = store().getStore();
  if (context === undefined) throw new Error('getRequestContext() was called outside a request scope');
  return context;
}
