import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { runWithRequestContext } from '../context/request-context.js';
import { createError } from '../errors/codes.js';
import { contextOf } from './request-context.js';

/** Options of {@link jsonBody}. */
export interface JsonBodyOptions {
  /** Largest accepted body. @default '100kb' */
  readonly limit?: string | number;
  /** Refuse bodies that are not JSON on POST, PUT and PATCH with 415. @default true */
  readonly requireJson?: boolean;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Body-parser failures as platform errors (their `type` is body-parser's stable id). */
function translate(error: unknown): unknown {
  const type = (error as { type?: unknown }).type;
  switch (type) {
    case 'entity.parse.failed':
      return createError('INVALID_JSON', { cause: error });
    case 'entity.too.large':
      return createError('PAYLOAD_TOO_LARGE', { cause: error });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return createError('UNSUPPORTED_MEDIA_TYPE', { message: 'Request body must be UTF-8 encoded JSON.', cause: error });
    case 'request.aborted':
    case 'request.size.invalid':
      return createError('BAD_REQUEST', { message: 'The request body could not be read.', cause: error });
    default:
      return error;
  }
}

/**
 * Parses JSON bodies up to a size limit. Malformed JSON → 400 `INVALID_JSON`, too large → 413,
 * a body that is not JSON on POST/PUT/PATCH → 415. Keeps the request scope, which the
 * body stream's callbacks would otherwise lose.
 */
export function jsonBody(options: JsonBodyOptions = {}): RequestHandler {
  const parse = express.json({ limit: options.limit ?? '100kb', strict: true, type: ['application/json', 'application/*+json'] });
  const requireJson = options.requireJson ?? true;
  return function jsonBodyMiddleware(req: Request, res: Response, next: NextFunction): void {
    // Most requests (GET, DELETE) carry no body: nothing to parse, and no scope to restore.
    if (!hasBody(req)) {
      next();
      return;
    }
    const context = contextOf(res);
    parse(req, res, (error?: unknown) => {
      // The parser leaves `req.body` undefined, without reading the body, when the type is not
      // JSON (a parsed JSON body is never undefined): that is the 415, with no second type check.
      const forward = (): void => {
        if (error !== undefined) next(translate(error));
        else if (requireJson && req.body === undefined && BODY_METHODS.has(req.method)) next(createError('UNSUPPORTED_MEDIA_TYPE'));
        else next();
      };
      if (context === undefined) forward();
      else runWithRequestContext(context, forward);
    });
  };
}
