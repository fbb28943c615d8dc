import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { headerStore, validatedHeaders, type HeaderPair } from './header-store.js';

/**
 * Response headers worked out once and written to every response: names and values in the order
 * the middleware that chose them set them.
 * @internal
 */
export interface PreparedHeaders {
  readonly names: readonly string[];
  readonly values: readonly string[];
  /** The same, checked by Node once, for {@link headerStore}. */
  readonly pairs: readonly HeaderPair[];
}

// Nothing about the request may decide a prepared header: reading it is a mistake in the setup.
const NO_REQUEST = new Proxy(
  {},
  {
    get(_target, property) {
      throw new TypeError(
        `recordHeaders(): the middleware read req.${String(property)}; only headers that are the same for every request can be prepared`,
      );
    },
  },
) as Request;

/**
 * Runs header-setting middleware (helmet's, configured) once against a recording response and
 * keeps what they set, so that each response gets the same headers in one loop of `setHeader`
 * instead of the middleware running again: helmet rebuilds its Content-Security-Policy string
 * and walks its chain of a dozen middleware on every request. The middleware stay the source of
 * truth for which headers are sent and their values.
 *
 * @throws TypeError when a middleware reads the request, removes a header, calls `next` with an
 *   error or not at once: such headers differ between requests and cannot be prepared.
 * @example
 * const prepared = recordHeaders(helmet({ frameguard: { action: 'deny' } }));
 * app.use((req, res, next) => { writePreparedHeaders(res, prepared); next(); });
 * @internal
 */
export function recordHeaders(...middleware: readonly RequestHandler[]): PreparedHeaders {
  const headers = new Map<string, { name: string; value: string }>();
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers.set(name.toLowerCase(), { name, value: String(value) });
      return recorder;
    },
    getHeader(name: string) {
      return headers.get(name.toLowerCase())?.value;
    },
    hasHeader(name: string) {
      return headers.has(name.toLowerCase());
    },
    removeHeader(name: string) {
      throw new TypeError(
        `recordHeaders(): the middleware removed ${name}; turn that part of it off (the header is never set in this pipeline)`,
      );
    },
  };
  for (const handler of middleware) {
    let called = false;
    const next = ((error?: unknown) => {
      if (error !== undefined)
        throw new TypeError(
          `recordHeaders(): the middleware failed: ${error instanceof Error ? error.message : 'next() got a value'}`,
          { cause: error },
        );
      called = true;
    }) as NextFunction;
    void handler(NO_REQUEST, recorder as unknown as Response, next);
    if (!called)
      throw new TypeError(
        'recordHeaders(): the middleware did not call next() at once; its headers cannot be prepared',
      );
  }
  const entries = [...headers.values()];
  return Object.freeze({
    names: Object.freeze(entries.map((entry) => entry.name)),
    values: Object.freeze(entries.map((entry) => entry.value)),
    pairs: Object.freeze(validatedHeaders(entries.map((entry) => [entry.name, entry.value] as const))),
  });
}

/**
 * Writes prepared headers to a response, in their order (a header of the same name set before is
 * replaced), as `setHeader` would, straight into Node's header store when it can ({@link headerStore}).
 * @internal
 */
export function writePreparedHeaders(res: Response, prepared: PreparedHeaders): void {
  headerStore().set(res, prepared.pairs);
}

/**
 * A middleware that writes prepared headers to every response it passes.
 *
 * @example
 * router.get('/docs', preparedHeadersMiddleware(recordHeaders(helmet.contentSecurityPolicy({ ... }))), page);
 * @internal
 */
export function preparedHeadersMiddleware(prepared: PreparedHeaders): RequestHandler {
  const store = headerStore();
  return function preparedHeaders(_req: Request, res: Response, next: NextFunction): void {
    store.set(res, prepared.pairs);
    next();
  };
}
