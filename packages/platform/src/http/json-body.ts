import { isUtf8 } from 'node:buffer';
import bytes from 'bytes';
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
    case 'entity.verify.failed':
      return createError('INVALID_JSON', { message: 'Request body is not valid UTF-8.', cause: error });
    case 'entity.too.large':
      return createError('PAYLOAD_TOO_LARGE', { cause: error });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return createError('UNSUPPORTED_MEDIA_TYPE', {
        message: 'Request body must be UTF-8 encoded JSON.',
        cause: error,
      });
    case 'request.aborted':
    case 'request.size.invalid':
      return createError('BAD_REQUEST', { message: 'The request body could not be read.', cause: error });
    default:
      return error;
  }
}

// Without this, the decoder would store U+FFFD in place of each broken sequence: the text a
// client sent would change silently.
function refuseBrokenUtf8(_req: unknown, _res: unknown, buffer: Buffer, encoding: string): void {
  if ((encoding === 'utf-8' || encoding === 'utf8') && !isUtf8(buffer)) throw new Error('invalid UTF-8');
}

/**
 * Parses JSON bodies up to a size limit. Malformed JSON or invalid UTF-8 → 400 `INVALID_JSON`;
 * a `Content-Length` over the limit → 413 at once, without reading the body (a body without a
 * length is cut off at the limit); a body that is not JSON on POST/PUT/PATCH → 415. Any JSON
 * value is accepted here (`null`, `"x"`, `[]`): whether it has the right shape is for validation
 * to say (422). Keeps the request scope, which the body stream's callbacks would otherwise lose.
 */
export function jsonBody(options: JsonBodyOptions = {}): RequestHandler {
  const limit = options.limit ?? '100kb';
  const limitBytes = typeof limit === 'number' ? limit : bytes.parse(limit);
  if (limitBytes === null || !Number.isFinite(limitBytes) || limitBytes < 0)
    throw new TypeError(`jsonBody: limit ${String(limit)} is not a size`);
  const parse = express.json({
    limit: limitBytes,
    strict: false,
    type: ['application/json', 'application/*+json'],
    verify: refuseBrokenUtf8,
  });
  const requireJson = options.requireJson ?? true;
  return function jsonBodyMiddleware(req: Request, res: Response, next: NextFunction): void {
    // Most requests (GET, DELETE) carry no body: nothing to parse, and no scope to restore.
    if (!hasBody(req)) {
      next();
      return;
    }
    // The parser would read (and throw away) the whole announced body before refusing it: a
    // client that stalls would wait for the request timeout instead of its 413.
    if (Number(req.headers['content-length']) > limitBytes) {
      res.setHeader('Connection', 'close');
      next(createError('PAYLOAD_TOO_LARGE'));
      return;
    }
    const context = contextOf(res);
    parse(req, res, (error?: unknown) => {
      // The parser leaves `req.body` undefined, without reading the body, when the type is not
      // JSON (a parsed JSON body is never undefined): that is the 415, with no second type check.
      const forward = (): void => {
        if (error !== undefined) next(translate(error));
        else if (requireJson && req.body === undefined && BODY_METHODS.has(req.method))
          next(createError('UNSUPPORTED_MEDIA_TYPE'));
        else next();
      };
      if (context === undefined) forward();
      else runWithRequestContext(context, forward);
    });
  };
}
