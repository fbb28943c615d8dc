import type { verifyToken as VerifyToken } from '@clerk/backend';

// @clerk/backend is loaded on the first verification, not at import: services start sooner.
let clerk: Promise<typeof VerifyToken> | undefined;
function loadVerifyToken(): Promise<typeof VerifyToken> {
  return (clerk ??= import('@clerk/backend').then((m) => m.verifyToken));
}
import { peekJwtHeader } from './jwt.js';
import { principalFromClaims, type Principal } from './principal.js';
import { createSessionCache, type SessionCacheOptions, type SessionCacheStats } from './session-cache.js';
import { classifyVerificationError, type AuthFailure } from './verification-outcome.js';

/**
 * Which keys check signatures: a PEM public key (networkless), or the instance's JWKS fetched
 * from the Clerk Backend API with the secret key and cached by the SDK.
 */
export type VerificationKey =
  | { readonly kind: 'jwt-key'; readonly jwtKey: string }
  | {
      readonly kind: 'jwks';
      readonly secretKey: string;
      /** @default 'https://api.clerk.com' */ readonly apiUrl?: string;
    };

/** Options of {@link createSessionVerifier}. */
export interface SessionVerifierOptions {
  readonly key: VerificationKey;
  /** Allowed `azp` values; an empty list checks nothing. @default [] */
  readonly authorizedParties?: readonly string[];
  /** The `iss` every token must carry (the Clerk Frontend API URL); a token with another or none is refused. @default undefined: not checked */
  readonly issuer?: string;
  /** Clock skew allowed on `exp`, `nbf` and `iat`. @default 5000 */
  readonly clockSkewMs?: number;
  /** Longest wait for the JWKS (the SDK retries for seconds); past it the answer is 503. @default 5000 */
  readonly keyFetchTimeoutMs?: number;
  /** Largest token accepted (Clerk session tokens are well under 4 kB). @default 8192 */
  readonly maxTokenLength?: number;
  /**
   * Remember verified tokens (and, briefly, lasting refusals) so that the same token costs a hash
   * and a lookup the next time, not a signature check; `false` verifies every time.
   * @default {} (10000 tokens, refusals for 1 s, each verified token until its `exp` and at most 60 s)
   */
  readonly cache?: SessionCacheOptions | false;
}

/** The outcome of verifying one token. */
export type VerificationResult =
  { readonly ok: true; readonly principal: Principal } | ({ readonly ok: false } & AuthFailure);

/** Verifies Clerk session tokens. */
export interface SessionVerifier {
  /** `'jwt-key'` or `'jwks'`. */
  readonly kind: VerificationKey['kind'];
  /** Verifies a token; never throws, never logs. */
  verify(token: string): Promise<VerificationResult>;
  /** Hits, misses and size of the cache of verified tokens; `undefined` when it is off. */
  cacheStats(): SessionCacheStats | undefined;
}

/**
 * The defaults of {@link SessionVerifierOptions}.
 *
 * @example
 * SESSION_VERIFIER_DEFAULTS.clockSkewMs; // 5000
 */
export const SESSION_VERIFIER_DEFAULTS = Object.freeze({
  clockSkewMs: 5000,
  keyFetchTimeoutMs: 5000,
  maxTokenLength: 8192,
});

const TIMED_OUT = Symbol('timed-out');
interface Claims {
  readonly claims: Readonly<Record<string, unknown>>;
}

function fail(failure: AuthFailure): VerificationResult {
  return { ok: false, ...failure };
}

function deadline<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Verifies Clerk session tokens with `verifyToken` of `@clerk/backend`: RS256 only (checked here
 * before the SDK, which would also accept RS384/RS512), 5 s clock skew, `azp` against the
 * authorized parties when given, `iss` against the issuer when given (a missing `iss` is
 * refused too), `sub` and `sid` required, pending sessions refused. A token verified once is
 * remembered (see {@link SessionVerifierOptions.cache}) until the instant the SDK would call it
 * expired, so a session's later requests skip the signature check; the cache belongs to this
 * verifier and its `azp` and `iss` rules, so it never admits a token they would refuse.
 *
 * @see https://clerk.com/docs/reference/backend/verify-token
 * @example
 * const verifier = createSessionVerifier({ key: { kind: 'jwt-key', jwtKey: config.CLERK_JWT_KEY } });
 * const result = await verifier.verify(token);
 * if (result.ok) result.principal.userId;
 */
export function createSessionVerifier(options: SessionVerifierOptions): SessionVerifier {
  const { key } = options;
  const clockSkewMs = options.clockSkewMs ?? SESSION_VERIFIER_DEFAULTS.clockSkewMs;
  const keyFetchTimeoutMs = options.keyFetchTimeoutMs ?? SESSION_VERIFIER_DEFAULTS.keyFetchTimeoutMs;
  const maxTokenLength = options.maxTokenLength ?? SESSION_VERIFIER_DEFAULTS.maxTokenLength;
  const remote = key.kind === 'jwks';
  const sdkOptions = {
    ...(key.kind === 'jwt-key'
      ? { jwtKey: key.jwtKey }
      : { secretKey: key.secretKey, ...(key.apiUrl === undefined ? {} : { apiUrl: key.apiUrl }) }),
    ...(options.authorizedParties === undefined || options.authorizedParties.length === 0
      ? {}
      : { authorizedParties: [...options.authorizedParties] }),
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    clockSkewInMs: clockSkewMs,
  };

  // Claims on success, the failure otherwise (the SDK's public verifyToken throws its error).
  async function verifyWithSdk(token: string): Promise<Claims | AuthFailure> {
    try {
      const verifyToken = await loadVerifyToken();
      const claims = await verifyToken(token, sdkOptions);
      return { claims: claims as unknown as Readonly<Record<string, unknown>> };
    } catch (error) {
      return classifyVerificationError(error, remote);
    }
  }

  async function verifyUncached(token: string): Promise<VerificationResult> {
    const header = peekJwtHeader(token);
    if (header === undefined) return fail({ code: 'AUTH_INVALID_TOKEN', reason: 'token-malformed' });
    // The SDK accepts RS256/384/512; the contract is RS256 only ("none" and HS256 included).
    if (header.alg !== 'RS256') return fail({ code: 'AUTH_INVALID_TOKEN', reason: 'alg-not-rs256' });
    const outcome = remote ? await deadline(verifyWithSdk(token), keyFetchTimeoutMs) : await verifyWithSdk(token);
    if (outcome === TIMED_OUT) return fail({ code: 'AUTH_UNAVAILABLE', reason: 'jwks-timeout' });
    if (!('claims' in outcome)) return fail(outcome);
    const { claims } = outcome;
    const principal = principalFromClaims(claims);
    if (principal === undefined) return fail({ code: 'AUTH_INVALID_TOKEN', reason: 'claims-missing-sub-or-sid' });
    if (claims.sts === 'pending') return fail({ code: 'AUTH_INVALID_TOKEN', reason: 'session-pending' });
    return { ok: true, principal };
  }

  const cache = options.cache === false ? undefined : createSessionCache(options.cache);
  return {
    kind: key.kind,
    async verify(token: string): Promise<VerificationResult> {
      if (token.length > maxTokenLength) return fail({ code: 'AUTH_INVALID_TOKEN', reason: 'token-too-long' });
      if (cache === undefined) return verifyUncached(token);
      const known = cache.get(token);
      if (known !== undefined) return known;
      const result = await verifyUncached(token);
      if (result.ok) cache.remember(token, result.principal, clockSkewMs);
      else cache.refuse(token, result);
      return result;
    },
    cacheStats: () => cache?.stats(),
  };
}
