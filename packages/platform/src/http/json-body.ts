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
const UNREADABLE = 'The request body could not be read.';

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
      return createError('BAD_REQUEST', { message: UNREADABLE, cause: error });
    default:
      return error;
  }
}

// The Content-Type values nearly every client sends (fetch, got, axios, curl's --json, the
// platform's own client). For these, and only these, the body is read here; anything else (another
// charset, a `+json` type, parameters, compression, a chunked body) goes to body-parser.
const PLAIN_JSON_TYPES = new Set([
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=utf-8',
  'application/json; charset=UTF-8',
  'application/json;charset=UTF-8',
]);

/** Whether the body can take the direct path: plain JSON in UTF-8, of a known length, not yet read. */
function isPlainJson(req: Request): boolean {
  const type = req.headers['content-type'];
  const socket = req.socket as Request['socket'] | null;
  return (
    type !== undefined &&
    PLAIN_JSON_TYPES.has(type) &&
    req.headers['content-encoding'] === undefined &&
    req.headers['transfer-encoding'] === undefined &&
    req.headers['content-length'] !== undefined &&
    // What body-parser would take for a body already read (or a connection gone): its own answer then.
    (req as { upgrade?: boolean }).upgrade !== true &&
    socket !== null &&
    socket.readable &&
    !(req.complete && !req.readable)
  );
}

const BYTE_ORDER_MARK = 0xfeff;

/**
 * Reads and parses a plain JSON body as body-parser does for the same request, without its
 * per-request type parsing, charset lookup and decoder (about 60k instructions a request on Node
 * 20, some 8 % of a 1 kB POST through the whole pipeline): the body, minus a leading byte order
 * mark, must be UTF-8 and JSON; an empty text is `{}`. The errors are the ones {@link translate}
 * gives body-parser's. `length` is the request's Content-Length. Calls `done` once.
 */
function readPlainJson(req: Request, length: number, done: (error?: unknown) => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  let settled = false;
  const settle = (error?: unknown): void => {
    if (settled) return;
    settled = true;
    done(error);
  };
  req.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    received += chunk.length;
  });
  req.on('end', () => {
    if (settled) return;
    // Node ends a body at its Content-Length; fewer bytes mean the client went away (below).
    if (received !== length) {
      settle(createError('BAD_REQUEST', { message: UNREADABLE }));
      return;
    }
    const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
    if (!isUtf8(buffer)) {
      settle(createError('INVALID_JSON', { message: 'Request body is not valid UTF-8.' }));
      return;
    }
    let text = buffer.toString('utf8');
    if (text.charCodeAt(0) === BYTE_ORDER_MARK) text = text.slice(1);
    try {
      req.body = text.length === 0 ? {} : (JSON.parse(text) as unknown);
    } catch (error) {
      settle(createError('INVALID_JSON', { cause: error }));
      return;
    }
    settle();
  });
  // A connection lost mid-body closes the request without 'end' (Node emits its 'error' only to
  // listeners); after 'end' the request is settled and this does nothing. No one is there to read
  // the answer; the request still ends as body-parser's does, in a 400. Every request closes:
  // the error is made only for one that is not settled (an error's stack costs ~10 µs).
  req.on('close', () => {
    if (!settled) settle(createError('BAD_REQUEST', { message: UNREADABLE }));
  });
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
    const length = Number(req.headers['content-length']);
    if (length > limitBytes) {
      res.setHeader('Connection', 'close');
      next(createError('PAYLOAD_TOO_LARGE'));
      return;
    }
    const context = contextOf(res);
    // The body's events come from the connection, outside the request scope: restored here.
    const parsed = (error?: unknown): void => {
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
    };
    if (isPlainJson(req)) readPlainJson(req, length, parsed);
    else parse(req, res, parsed);
  };
}
