import type { NextFunction, Request, RequestHandler, Response } from 'express';
import cors from 'cors';
import { headerStore } from './header-store.js';

/** Options of {@link corsPolicy}. */
export interface CorsPolicyOptions {
  /** Allowed origins (`https://app.example.com`); `*` allows any (refused in production by config). */
  readonly origins: readonly string[];
}

/**
 * CORS for the configured origins only, with credentials, exposing `X-Request-ID` and
 * `X-Correlation-ID` to browsers, and what retried and conditional writes need: browsers may send
 * `Idempotency-Key`, `If-Match` and `If-None-Match`, and read `ETag`, `Idempotent-Replayed`,
 * `Retry-After` and `Location`. Returns `undefined` when no origin is configured (CORS off).
 *
 * @see https://github.com/expressjs/cors
 */
export function corsPolicy(options: CorsPolicyOptions): RequestHandler | undefined {
  if (options.origins.length === 0) return undefined;
  const any = options.origins.includes('*');
  const allowed = new Set(options.origins.map((o) => o.replace(/\/+$/, '')));
  const policy = cors({
    origin: any ? true : (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    // A browser may retry a write and guard it with a tag (docs/contract.md, "Retried writes and
    // preconditions"): it sends these, and reads the tag, the replay mark, the wait and the new place.
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'X-Correlation-ID',
      'traceparent',
      'Idempotency-Key',
      'If-Match',
      'If-None-Match',
    ],
    exposedHeaders: ['X-Request-ID', 'X-Correlation-ID', 'ETag', 'Idempotent-Replayed', 'Retry-After', 'Location'],
    maxAge: 600,
  });
  // Only browsers send Origin, and calls between services (most of a fleet's traffic) never do:
  // they skip cors' per-request option merging and its credentials and expose headers, which
  // only a browser reads. `Vary: Origin` stays, as cors sets it, so a cache never serves this
  // answer to a browser's request.
  const store = headerStore();
  return function corsPolicyMiddleware(req: Request, res: Response, next: NextFunction): void {
    if (req.headers.origin === undefined) {
      // What res.vary('Origin') does when nothing varies yet (the pipeline's case), without parsing.
      if (res.getHeader('Vary') === undefined) store.put(res, 'vary', 'Vary', 'Origin');
      else res.vary('Origin');
      next();
      return;
    }
    policy(req, res, next);
  };
}
