import type { Request } from 'express';

/** Where a session token came from. */
export type TokenCarrier = 'header' | 'cookie';

/** A token found on a request. @internal */
export interface FoundToken {
  readonly token: string;
  readonly carrier: TokenCarrier;
}

/**
 * Clerk's session cookie, read when there is no bearer token.
 *
 * @example
 * await request(app).get('/api/v1/entities').set('Cookie', `${SESSION_COOKIE}=${token}`);
 */
export const SESSION_COOKIE = '__session';

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    const raw = pair
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

/**
 * The session token of a request: `Authorization: Bearer <token>` first, else the `__session`
 * cookie (Clerk's order). Another scheme (`Basic ...`) or an empty value is no token.
 *
 * @internal
 */
export function tokenFromRequest(req: Request): FoundToken | undefined {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer[ \t]+(.*)$/i.exec(authorization.trim());
    const token = match?.[1]?.trim();
    if (token !== undefined && token !== '') return { token, carrier: 'header' };
  }
  const cookie = cookieValue(req.headers.cookie, SESSION_COOKIE);
  if (cookie !== undefined && cookie !== '') return { token: cookie, carrier: 'cookie' };
  return undefined;
}
