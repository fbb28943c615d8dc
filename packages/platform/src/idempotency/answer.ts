import { tryGetRequestContext } from '../context/request-context.js';
import { toErrorBody } from '../errors/error-body.js';
import type { ServiceError } from '../errors/service-error.js';
import type { RecordedAnswer } from './store.js';

/** A handler's reply, as a route returns it. @internal */
export interface HandlerReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
// The headers a replay carries (docs/contract.md "Retried writes"): where the result is, what it is, its version.
const RECORDED_HEADERS = new Set(['location', 'content-type', 'etag']);

/** An answer to send: what is recorded, and every header of the first sending. @internal */
export interface Answer {
  readonly recorded: RecordedAnswer;
  /** Headers sent with it (the reply's own, the error's own, the recorded ones). */
  readonly headers: Readonly<Record<string, string>>;
}

function split(headers: Readonly<Record<string, string>>): Answer['headers'] {
  const recorded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (RECORDED_HEADERS.has(name.toLowerCase())) recorded[name.toLowerCase()] = value;
  return recorded;
}

/**
 * The answer of a reply, as `res.json()` would write it (JSON.stringify, `application/json;
 * charset=utf-8`), so that the first sending and every replay are the same bytes.
 * @internal
 */
export function answerOfReply(reply: HandlerReply): Answer {
  const body = reply.body === undefined ? '' : ((JSON.stringify(reply.body) as string | undefined) ?? '');
  const headers: Record<string, string> = { ...reply.headers };
  if (body !== '' && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type'))
    headers['Content-Type'] = JSON_TYPE;
  return { recorded: { status: reply.status, headers: split(headers), body }, headers };
}

/**
 * The answer of an error a handler threw, in the unified shape with this request's id (a replay
 * carries the id of the request that produced it: its logs tell what happened).
 * @internal
 */
export function answerOfError(error: ServiceError): Answer {
  const body = JSON.stringify(toErrorBody(error, tryGetRequestContext()?.requestId ?? ''));
  const headers: Record<string, string> = { ...error.headers, 'Content-Type': JSON_TYPE };
  return { recorded: { status: error.status, headers: split(headers), body }, headers };
}
