import { randomBytes } from 'node:crypto';
import type { JsonObject } from './jwt.js';

/** Clerk's `cat` header of session tokens (v2). */
export const SESSION_TOKEN_CATEGORY = 'cl_B7d4PD111AAA';

/** What a Clerk-shaped session token says about its caller. */
export interface SessionClaimsInput {
  /** `sub`. @default 'user_test' */
  readonly userId?: string;
  /** `sid`. @default a random `sess_...` id */
  readonly sessionId?: string;
  /** The active organization (`org_id` in v1, `o.id` in v2). @default none */
  readonly orgId?: string;
  /** The organization role, `org:admin` or `admin` (v1 `org_role`, v2 `o.rol`). @default 'org:member' when orgId is set */
  readonly orgRole?: string;
  /** The organization slug. @default none */
  readonly orgSlug?: string;
  /** `azp`, the origin the token was made for. @default 'http://localhost:3000' */
  readonly authorizedParty?: string;
  /** `iss`, the Clerk Frontend API URL. @default 'https://clerk.local.test' */
  readonly issuer?: string;
}

/** Validity window and shape of a session token. */
export interface SessionTimesInput {
  /** Token format: Clerk's session token v1 (`org_*` claims) or v2 (`o`, `v: 2`). @default 2 */
  readonly version?: 1 | 2;
  /** Issue time, seconds since the epoch. @default now */
  readonly issuedAt?: number;
  /** Seconds from `issuedAt` to `exp` (negative makes an expired token). @default 60 */
  readonly expiresIn?: number;
  /** Seconds from `issuedAt` to `nbf` (positive makes a not-yet-valid token). @default -10, like Clerk */
  readonly notBefore?: number;
}

function withoutOrgPrefix(role: string): string {
  return role.startsWith('org:') ? role.slice(4) : role;
}

/**
 * The claims of a Clerk session token, v1 or v2, as Clerk issues them.
 *
 * @see https://clerk.com/docs/guides/sessions/session-tokens
 * @internal
 */
export function buildSessionClaims(input: SessionClaimsInput, times: SessionTimesInput = {}): Record<string, unknown> {
  const iat = times.issuedAt ?? Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    azp: input.authorizedParty ?? 'http://localhost:3000',
    exp: iat + (times.expiresIn ?? 60),
    iat,
    iss: input.issuer ?? 'https://clerk.local.test',
    nbf: iat + (times.notBefore ?? -10),
    sid: input.sessionId ?? `sess_${randomBytes(12).toString('hex')}`,
    sub: input.userId ?? 'user_test',
  };
  const role = input.orgId === undefined ? undefined : (input.orgRole ?? 'org:member');
  if ((times.version ?? 2) === 1) {
    if (input.orgId !== undefined) {
      Object.assign(claims, {
        org_id: input.orgId,
        org_role: `org:${withoutOrgPrefix(role!)}`,
        org_slug: input.orgSlug,
        org_permissions: [],
      });
    }
    return claims;
  }
  Object.assign(claims, { v: 2, fva: [0, -1], sts: 'active' });
  if (input.orgId !== undefined) {
    claims.o = { id: input.orgId, rol: withoutOrgPrefix(role!), slg: input.orgSlug ?? input.orgId, per: '', fpm: '' };
  }
  return claims;
}

/** The header Clerk puts on session tokens. @internal */
export function sessionTokenHeader(kid: string, version: 1 | 2, alg = 'RS256'): JsonObject {
  return version === 2 ? { alg, cat: SESSION_TOKEN_CATEGORY, kid, typ: 'JWT' } : { alg, kid, typ: 'JWT' };
}
