import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { tryGetPrincipal } from '../auth/principal.js';
import { noneMatchHolds, readIfMatch, readIfNoneMatch, type IfMatch } from '../conditional/preconditions.js';
import { createError } from '../errors/codes.js';
import { isServiceError } from '../errors/service-error.js';
import type { KeyedAnswer } from '../idempotency/idempotency.js';
import type { Idempotency } from '../idempotency/idempotency.js';
import { requestFingerprint } from '../idempotency/fingerprint.js';
import { readIdempotencyKey } from '../idempotency/key.js';
import { countWriteOutcome } from '../observability/write-outcomes.js';
import type { ValidatedParts } from '../validation/request-validator.js';
import type { ServiceError } from '../errors/service-error.js';
import type { RouteDefinition, SentReply } from './define-route.js';

/** What a guarded route needs from its group. @internal */
export interface GuardContext {
  /** `POST /api/v1/entities`: the route's scope of keys, and its label in the counts. */
  readonly route: string;
  readonly idempotency: Idempotency | undefined;
  readonly validate: (req: Request) => ValidatedParts | ServiceError;
  /** Writes a reply the way every route does. */
  readonly send: (req: Request, res: Response, reply: SentReply) => void;
}

/** Whether a route declares anything {@link guardedHandler} is for. @internal */
export function isGuarded(route: RouteDefinition): boolean {
  return (
    route.idempotencyKey !== undefined ||
    route.preconditions?.ifMatch === true ||
    route.preconditions?.ifNoneMatch === true
  );
}

function sendAnswer(res: Response, answer: KeyedAnswer): void {
  res.status(answer.recorded.status);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
  if (answer.recorded.body === '') {
    res.end();
    return;
  }
  res.setHeader('Content-Length', Buffer.byteLength(answer.recorded.body));
  res.end(answer.recorded.body);
}

function etagOf(headers: Readonly<Record<string, string>> | undefined): string | undefined {
  if (headers === undefined) return undefined;
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === 'etag') return value;
  return undefined;
}

/**
 * The handler of a route that takes part in retried or conditional writes: auth has run; then
 * the `Idempotency-Key` check (400), validation (422), the conditional headers (400 when
 * malformed), and the handler, run under the key by the group's idempotency when the request has
 * one. Routes without these fields never come here, so they pay nothing for them.
 * @internal
 */
export function guardedHandler(route: RouteDefinition, context: GuardContext): RequestHandler {
  const { idempotency, validate, send } = context;
  const keyed = route.idempotencyKey;
  if (keyed !== undefined && idempotency === undefined)
    throw new TypeError(
      `createRouteGroup(): route ${route.operationId} declares idempotencyKey, but the group got no \`idempotency\``,
    );
  const { ifMatch: takesIfMatch, ifNoneMatch: takesIfNoneMatch } = route.preconditions ?? {};

  type Input = Parameters<RouteDefinition['handler']>[0];
  // A promise whether the handler is async or not (what it throws becomes the rejection), as the
  // idempotency's run takes it; counted where the handler refuses a stale If-Match (its store
  // compared the tag).
  const call: (input: Input) => Promise<SentReply> =
    takesIfMatch !== true
      ? async (input) => await route.handler(input)
      : async (input) => {
          try {
            return await route.handler(input);
          } catch (error) {
            if (isServiceError(error) && error.code === 'PRECONDITION_FAILED')
              countWriteOutcome('PRECONDITION_FAILED', context.route);
            throw error;
          }
        };

  const handler = async function (req: Request, res: Response, next: NextFunction): Promise<void> {
    const key = keyed === undefined ? undefined : readIdempotencyKey(req.headers['idempotency-key']);
    if (isServiceError(key)) return next(key);
    if (key === undefined && keyed === 'required') return next(createError('IDEMPOTENCY_KEY_MISSING'));
    const values = validate(req);
    if (isServiceError(values)) return next(values);
    let ifMatch: IfMatch | undefined;
    if (takesIfMatch === true) {
      const read = readIfMatch(req);
      if (isServiceError(read)) return next(read);
      ifMatch = read;
    }
    let ifNoneMatch: '*' | readonly string[] | undefined;
    if (takesIfNoneMatch === true) {
      const read = readIfNoneMatch(req);
      if (isServiceError(read)) return next(read);
      ifNoneMatch = read;
    }
    const principal = tryGetPrincipal(req);
    const input: Input = { ...values, principal, ifMatch, req, res };
    if (key !== undefined && idempotency !== undefined && principal !== undefined) {
      const scope = { caller: principal.userId, route: context.route, key };
      sendAnswer(
        res,
        await idempotency.run({ scope, fingerprint: requestFingerprint(context.route, req.body) }, () => call(input)),
      );
      return;
    }
    // Without a key, the handler runs as on any route (nothing made per request for the protocol).
    const reply = await call(input);
    if (ifNoneMatch !== undefined && reply.status === 200) {
      const etag = etagOf(reply.headers);
      if (noneMatchHolds(ifNoneMatch, etag)) {
        res.status(304).setHeader('ETag', etag!);
        res.end();
        return;
      }
    }
    send(req, res, reply);
  };
  Object.defineProperty(handler, 'name', { value: route.operationId });
  return handler;
}
