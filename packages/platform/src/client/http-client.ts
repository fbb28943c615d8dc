import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingHttpHeaders } from 'node:http';
import type { Got, OptionsInit, Request as GotRequest } from 'got';
import { preparedLinesOf, type LogLevel } from '../logging/logger.js';
import { defaultCircuitBreakers, NOT_A_FAILURE } from './circuit-breaker.js';
import { isUpstreamError, UpstreamError } from './errors.js';
import { resolveHttpClientOptions, resolveTimeouts, type HttpClientOptions, type TimeoutOptions } from './options.js';
import { addPropagationHeaders } from './propagation.js';
import { parseBody, ResponseTooLargeError, type HttpResponse } from './response.js';
import { mayRetry, retryDelay, type HttpMethod } from './retry.js';
import { AttemptTimeoutError, createClientAgents, type ClientAgents } from './time-limits.js';
import { buildUrl, type QueryParams } from './url.js';

/** Options of one call. */
export interface RequestOptions {
  /** Query string parameters (encoded for you; never logged). */
  readonly query?: QueryParams;
  /** Request body, sent as JSON. */
  readonly json?: unknown;
  /** Extra headers; they win over the client's and the propagated ones. Values are never logged. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Time limits of this call, over the client's. */
  readonly timeouts?: TimeoutOptions;
  /**
   * `true` retries even a non-idempotent method (only when the upstream deduplicates),
   * `false` never retries. @default retry idempotent methods only
   */
  readonly retry?: boolean;
  /**
   * Sent as `Idempotency-Key`, and opts a POST or PATCH into retries: `true` makes one key (a
   * UUID) for this call and sends it on every attempt, so an upstream that honours keys applies
   * the call once however often it is retried; a string is the key itself (to keep one key across
   * calls, e.g. one from your own caller). The key is on the call's log line.
   */
  readonly idempotencyKey?: string | true;
  /** Aborts the call; the rejection is the signal's reason. */
  readonly signal?: AbortSignal;
}

/** A client of one upstream. Every method resolves with 2xx-4xx answers and rejects with an {@link UpstreamError} otherwise. */
export interface HttpClient {
  /** `scheme://host:port` of the upstream. */
  readonly origin: string;
  request<T = unknown>(method: HttpMethod, path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  get<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  post<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  put<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  patch<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  delete<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  /** Closes pooled connections; later calls reject. Idempotent. */
  close(): Promise<void>;
}

// got costs ~0.15 s to import: loaded on the first call, so services start (and answer /healthz) sooner.
// Once loaded, calls take it as it is: an await on the settled import is a promise turn per call.
let gotModule: Promise<Got> | undefined;
let loadedGot: Got | undefined;
function loadGot(): Promise<Got> {
  return (gotModule ??= import('got').then((m) => (loadedGot = m.default)));
}

/** An attempt that got a 5xx: thrown inside the breaker so it counts as a failure. */
class UpstreamStatusError extends Error {
  override readonly name = 'UpstreamStatusError';
  readonly code = 'EUPSTREAMSTATUS';
  constructor(
    readonly statusCode: number,
    readonly headers: IncomingHttpHeaders,
  ) {
    super(`upstream answered ${statusCode}`);
  }
}

type CallerAbort = Error & { [NOT_A_FAILURE]: true; reason: unknown };

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Creates the client of one upstream, on got: per-attempt timeouts inside a retry loop under an
 * overall deadline, retries of idempotent calls with backoff and `Retry-After`, the upstream
 * origin's circuit breaker around every attempt, request-context propagation, and one log line
 * per call. URLs come from configuration only: `baseUrl` is fixed, paths are relative to it.
 *
 * @see https://github.com/sindresorhus/got/tree/v14.6.6/documentation (the transport)
 * @example
 * const billing = createHttpClient({ baseUrl: config.BILLING_SERVICE_URL, logger, service: 'billing-service' });
 * const { status, body } = await billing.get<Invoice>(`/invoices/${encodeURIComponent(id)}`);
 * if (status === 404) throw createError('ROUTE_NOT_FOUND');
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const resolved = resolveHttpClientOptions(options);
  const { base, origin, service, logger, retry } = resolved;
  const breaker = (resolved.breakers ?? defaultCircuitBreakers()).get(origin);
  // New connections must be up within the client's connect limit (the agents see to it); a call
  // with a limit of its own connects through agents of its own, where got enforces it.
  const agent = createClientAgents(resolved.timeouts.connect);
  let otherAgents: ClientAgents | undefined;
  // One line per call: its fixed part (keys, event, the logger's base fields) is rendered once.
  const writeLine = preparedLinesOf(
    logger,
    'http_client_call',
    [
      'upstream',
      'method',
      'origin',
      'path',
      'status',
      'duration_ms',
      'attempts',
      'idempotency_key',
      'error_code',
      'cause_code',
    ],
    { plain: ['method'] },
  );
  let closed = false;
  // got with this client's fixed options and headers: each call then sets only what changes. got
  // validates, lower-cases and merges every option it is given on every call, and with four
  // headers that was a tenth of a call's cost on Node 20.
  let transport: Got | undefined;
  async function loadTransport(): Promise<Got> {
    const got = loadedGot ?? (await loadGot());
    return (transport ??= got.extend({
      isStream: true,
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      agent,
      headers: { accept: 'application/json', ...resolved.headers },
      // Before each attempt, into the attempt's own headers: what the call or the client set wins,
      // and each attempt's traceparent is a span of its own.
      hooks: { beforeRequest: [(request) => addPropagationHeaders(request.headers)] },
    }));
  }

  // One attempt on got's stream API, its body collected here: got's promise API wraps the call in a
  // cancelable promise and reads the body through an async iterator, 19 of a call's 36 promises,
  // and on Node 20 each pays for the request scope's AsyncLocalStorage (~35 µs a call, measured).
  function attempt(
    method: HttpMethod,
    url: URL,
    headers: Record<string, string> | undefined,
    call: RequestOptions,
    responseMs: number,
    connectMs: number,
    attempts: number,
  ): Promise<HttpResponse> {
    if (transport === undefined)
      return loadTransport().then(() => attempt(method, url, headers, call, responseMs, connectMs, attempts));
    const got = transport;
    return new Promise<HttpResponse>((resolve, reject) => {
      // Only what this attempt changes: got's work grows with every option it is given.
      const options: OptionsInit = { method };
      if (headers !== undefined) options.headers = headers;
      if (call.json !== undefined) options.json = call.json;
      if (connectMs !== resolved.timeouts.connect) {
        options.agent = otherAgents ??= createClientAgents(undefined);
        options.timeout = { connect: connectMs };
      }
      if (call.signal !== undefined) options.signal = call.signal;
      // The transport is a stream one (`isStream` is among its options).
      const stream = got(url, options) as unknown as GotRequest;
      let settled = false;
      let size = 0;
      const chunks: Buffer[] = [];
      // The attempt's time limit, to the last byte of the body: one timer of our own (got's time
      // limits hang listeners on the request, its socket and the response of every call).
      const timer = setTimeout(() => {
        fail(new AttemptTimeoutError(`no complete response within ${responseMs} ms`));
      }, responseMs);
      timer.unref();
      function fail(error: Error): void {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stream.destroy();
        if (call.signal?.aborted === true) {
          // The caller gave up: not the upstream's fault, so the breaker must not count it.
          const reason: unknown = call.signal.reason;
          reject(Object.assign(new Error('call aborted by the caller'), { [NOT_A_FAILURE]: true as const, reason }));
        } else reject(error);
      }
      stream.on('error', fail);
      // got sends a GET's or HEAD's request at once; another method waits for its body, or an end.
      if (call.json === undefined && method !== 'GET' && method !== 'HEAD') stream.end();
      // got has no body size limit: stop reading once the upstream sends more than we accept.
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > resolved.maxResponseBytes)
          fail(new ResponseTooLargeError(`upstream response is larger than ${resolved.maxResponseBytes} bytes`));
        else chunks.push(chunk);
      });
      stream.once('end', () => {
        if (settled) return;
        // got keeps the response it emitted on the request stream.
        const { response } = stream;
        if (response === undefined) {
          fail(new Error('upstream response ended before its head'));
          return;
        }
        if (response.statusCode >= 500) {
          fail(new UpstreamStatusError(response.statusCode, response.headers));
          return;
        }
        let body: unknown;
        try {
          body = parseBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), response.headers['content-type']);
        } catch (error) {
          fail(error as Error);
          return;
        }
        settled = true;
        clearTimeout(timer);
        resolve({ status: response.statusCode, headers: response.headers, body, attempts });
      });
      // Closed without an end or an error (got destroyed it without one): the attempt failed.
      // Every attempt's stream closes: the error is made only when it is not settled.
      stream.once('close', () => {
        if (settled) return;
        fail(Object.assign(new Error('upstream connection closed before the response ended'), { code: 'ECONNRESET' }));
      });
    });
  }

  async function request<T = unknown>(
    method: HttpMethod,
    path: string,
    call: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    if (closed) throw new Error(`the HTTP client of ${service ?? origin} is closed`);
    const url = buildUrl(base, path, call.query);
    const timeouts =
      call.timeouts === undefined ? resolved.timeouts : resolveTimeouts(resolved.timeouts, call.timeouts);
    // One key per call, the same on every attempt: that is what lets the upstream apply it once.
    const idempotencyKey = call.idempotencyKey === true ? randomUUID() : call.idempotencyKey;
    const retriable = mayRetry(method, retry, call.retry ?? (idempotencyKey === undefined ? undefined : true));
    // The call's own headers (the client's are the transport's): none on most calls.
    let headers: Record<string, string> | undefined;
    if (call.headers !== undefined || idempotencyKey !== undefined) {
      headers = {};
      for (const [name, value] of Object.entries(call.headers ?? {})) headers[name.toLowerCase()] = value;
      if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    }

    // The deadline needs no timer of its own: each attempt's time limit is cut to what is left of
    // it, and a wait before a retry never outlasts it.
    const started = performance.now();
    const remainingMs = (): number => timeouts.deadline - (performance.now() - started);
    const where = { service, origin, method, path: url.pathname };
    let attempts = 0;
    let status: number | undefined;
    // Info, like the access log of an incoming request: an operator sees every call a request made.
    let level: LogLevel = 'info';
    let failure: { code: string; cause?: string | undefined } | undefined;
    try {
      for (;;) {
        let error: unknown;
        try {
          // At least 1 ms: the check after each wait ended the call when nothing was left.
          const left = Math.max(1, Math.ceil(remainingMs()));
          attempts += 1;
          const tries = attempts;
          const response = await breaker.execute(
            () => attempt(method, url, headers, call, Math.min(timeouts.response, left), timeouts.connect, tries),
            logger,
          );
          status = response.status;
          return response as HttpResponse<T>;
        } catch (caught) {
          error = caught;
        }
        if ((error as Partial<CallerAbort> | undefined)?.[NOT_A_FAILURE] === true) throw (error as CallerAbort).reason;
        if (isUpstreamError(error)) {
          // The breaker refused: no I/O happened for this attempt.
          attempts -= 1;
          throw new UpstreamError(error.code, { ...where, upstreamStatus: status, attempts, cause: error.cause });
        }
        const response = error instanceof UpstreamStatusError ? error : undefined;
        status = response?.statusCode;
        const code = errorCode(error);
        const retryable =
          response === undefined
            ? code !== undefined && retry.errorCodes.includes(code)
            : retry.statusCodes.includes(response.statusCode);
        const delay =
          retriable && retryable
            ? retryDelay({ retry: attempts, options: retry, retryAfter: response?.headers['retry-after'] })
            : undefined;
        if (delay === undefined || delay >= remainingMs()) throw finalError(error, code, response?.statusCode);
        try {
          await sleep(delay, undefined, call.signal === undefined ? undefined : { signal: call.signal });
        } catch {
          if (call.signal?.aborted === true) throw call.signal.reason;
          throw finalError(error, code, response?.statusCode);
        }
        // A timer may fire late on a busy loop: no attempt starts past the deadline.
        if (remainingMs() < 1) throw finalError(error, code, response?.statusCode);
      }
    } catch (error) {
      if (isUpstreamError(error)) {
        level = 'warn';
        failure = { code: error.code, cause: errorCode(error.cause) };
      } else if (call.signal?.aborted === true) {
        failure = { code: 'ABORTED' };
      } else {
        level = 'warn';
        failure = { code: errorCode(error) ?? (error instanceof Error ? error.name : 'UNKNOWN') };
      }
      throw error;
    } finally {
      if (logger.isLevelEnabled(level)) {
        // The line's `service` is the caller's (the logger's); the upstream has a field of its own.
        writeLine(level, [
          service,
          method,
          origin,
          url.pathname,
          status,
          Math.round((performance.now() - started) * 10) / 10,
          attempts,
          idempotencyKey,
          failure?.code,
          failure?.cause,
        ]);
      }
    }

    function finalError(error: unknown, code: string | undefined, upstreamStatus: number | undefined): UpstreamError {
      const timedOut =
        remainingMs() < 1 || code === 'ETIMEDOUT' || (error as Error | undefined)?.name === 'TimeoutError';
      const cause =
        error instanceof UpstreamStatusError
          ? new Error(
              `${service ?? origin} answered ${error.statusCode} to ${method} ${url.pathname} (attempt ${attempts})`,
            )
          : error;
      return new UpstreamError(timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_ERROR', {
        ...where,
        upstreamStatus,
        attempts,
        cause,
      });
    }
  }

  return {
    origin,
    request,
    get: (path, call) => request('GET', path, call),
    post: (path, call) => request('POST', path, call),
    put: (path, call) => request('PUT', path, call),
    patch: (path, call) => request('PATCH', path, call),
    delete: (path, call) => request('DELETE', path, call),
    close(): Promise<void> {
      closed = true;
      for (const agents of [agent, otherAgents])
        if (agents !== undefined) {
          agents.http.destroy();
          agents.https.destroy();
        }
      return Promise.resolve();
    },
  };
}
