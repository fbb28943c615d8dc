/** The auth error codes a failed verification maps to. */
export type AuthFailureCode = 'AUTH_EXPIRED_TOKEN' | 'AUTH_INVALID_TOKEN' | 'AUTH_UNAVAILABLE';

/** Why a token was refused: the response code and a reason for the debug log (never the token). */
export interface AuthFailure {
  readonly code: AuthFailureCode;
  /** Clerk's `TokenVerificationError.reason` (`token-expired`, ...) or one of ours (`alg-not-rs256`). */
  readonly reason: string;
  /** The underlying error, kept for the 503 log. */
  readonly cause?: unknown;
}

// Reasons meaning "we could not get keys to check with": not the caller's fault, so 503.
const UNAVAILABLE_REASONS = new Set([
  'jwk-remote-failed-to-load',
  'jwk-remote-missing',
  'secret-key-invalid',
  'jwk-failed-to-resolve',
  'jwk-local-missing',
]);

function reasonOf(error: unknown): string | undefined {
  const reason = (error as { reason?: unknown } | null)?.reason;
  return error instanceof Error && typeof reason === 'string' ? reason : undefined;
}

/**
 * Maps what `verifyToken` of `@clerk/backend` returned to our codes. Recognises Clerk's
 * `TokenVerificationError` by its `reason` string, not `instanceof`. Expired is the only
 * caller-fixable case with its own code; key-loading failures are 503; the rest is invalid.
 * Any other error (fetch failed, a JWKS that is not JSON) can only come from loading remote
 * keys, so it is 503 when keys are remote, and an invalid token otherwise.
 *
 * @internal
 */
export function classifyVerificationError(error: unknown, remoteKeys: boolean): AuthFailure {
  const reason = reasonOf(error);
  if (reason === undefined) {
    return {
      code: remoteKeys ? 'AUTH_UNAVAILABLE' : 'AUTH_INVALID_TOKEN',
      reason: remoteKeys ? 'jwks-unreachable' : 'verification-error',
      cause: error,
    };
  }
  if (reason === 'token-expired') return { code: 'AUTH_EXPIRED_TOKEN', reason };
  if (UNAVAILABLE_REASONS.has(reason)) return { code: 'AUTH_UNAVAILABLE', reason, cause: error };
  return { code: 'AUTH_INVALID_TOKEN', reason };
}
