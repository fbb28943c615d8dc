import type { Request } from 'express';
import { processWide } from '../context/process-wide.js';

/**
 * The verified caller of a request, the same for Clerk session tokens v1 and v2.
 *
 * @example
 * const { userId, orgId, roles } = getPrincipal(req);
 */
export interface Principal {
  /** Clerk user id (`sub`). */
  readonly userId: string;
  /** Clerk session id (`sid`). */
  readonly sessionId: string;
  /** The active organization (v1 `org_id`, v2 `o.id`), or `null` without one. */
  readonly orgId: string | null;
  /** Organization roles as Clerk names them (`org:admin`); empty without an organization. */
  readonly roles: readonly string[];
  /** Every verified claim, for what the fields above do not carry (custom session claims). */
  readonly claims: Readonly<Record<string, unknown>>;
}

// Beside the request rather than on it (a property added to an Express request costs far more
// than a WeakMap entry: see http/response-closed.ts); process-wide, so a second copy of the
// platform finds the principal the first one set.
const principals = processWide('principals', () => new WeakMap<Request, Principal>());

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Clerk's role key: `admin` in v2's `o.rol` is `org:admin`, as Clerk's own SDK reports it. */
export function roleKey(role: string): string {
  return role.startsWith('org:') ? role : `org:${role}`;
}

/**
 * The principal of verified claims, or `undefined` when a claim every session token has is
 * missing (`sub`, `sid`).
 *
 * @internal
 */
export function principalFromClaims(claims: Readonly<Record<string, unknown>>): Principal | undefined {
  const userId = text(claims.sub);
  const sessionId = text(claims.sid);
  if (userId === undefined || sessionId === undefined) return undefined;
  let orgId: string | undefined;
  let role: string | undefined;
  if (claims.v === 2) {
    const org = typeof claims.o === 'object' && claims.o !== null ? (claims.o as Record<string, unknown>) : {};
    orgId = text(org.id);
    role = text(org.rol);
  } else {
    orgId = text(claims.org_id);
    role = text(claims.org_role);
  }
  return Object.freeze({
    userId,
    sessionId,
    orgId: orgId ?? null,
    roles: Object.freeze(orgId !== undefined && role !== undefined ? [roleKey(role)] : []),
    claims: Object.freeze({ ...claims }),
  });
}

/** Attaches the principal to the request (the auth middleware does this). @internal */
export function setPrincipal(req: Request, principal: Principal): void {
  principals().set(req, principal);
}

/**
 * The principal of a request that passed `requireAuth()`, or `undefined` when it did not run.
 *
 * @example
 * const principal = tryGetPrincipal(req);
 * if (principal !== undefined) logger.debug('caller_known', { user_id: principal.userId });
 */
export function tryGetPrincipal(req: Request): Principal | undefined {
  return principals().get(req);
}

/**
 * The principal of a request that passed `requireAuth()`.
 *
 * @throws Error when `requireAuth()` did not run for this request (a routing mistake, so a 500).
 * @example
 * router.get('/', auth.requireAuth(), async (req, res) => {
 *   res.json(await entities.list(getPrincipal(req).userId));
 * });
 */
export function getPrincipal(req: Request): Principal {
  const principal = tryGetPrincipal(req);
  if (principal === undefined) throw new Error('getPrincipal(req) was called on a route without requireAuth()');
  return principal;
}
