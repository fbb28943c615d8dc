import type { Request } from 'express';
import { tokenFromRequest } from './request-token.js';

/**
 * The header that forwards the caller's own session token to a fellow service of the fleet:
 * `{ authorization: 'Bearer <token>' }`, whether the caller sent it as a bearer token or as the
 * `__session` cookie; `{}` when the request has none. The upstream verifies the token itself (same
 * Clerk instance, same keys) and acts as that user, with that user's rights and no more.
 * Forward it only to services of your fleet, never to a third party.
 *
 * @example
 * const entity = await entities.get(`/api/v1/entities/${encodeURIComponent(id)}`, { headers: callerAuthorization(req) });
 */
export function callerAuthorization(req: Request): { readonly authorization: string } | Record<string, never> {
  const found = tokenFromRequest(req);
  return found === undefined ? {} : { authorization: `Bearer ${found.token}` };
}
