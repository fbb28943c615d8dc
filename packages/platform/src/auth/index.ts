export { callerAuthorization } from './caller-authorization.js';
export { createAuth, type Auth, type AuthConfig, type AuthMode, type AuthOptions } from './create-auth.js';
export { createLocalSessionToken, ensureLocalSigningKey, LOCAL_SIGNING_KEY_FILE, type LocalSessionTokenOptions, type LocalSigningKey } from './local-signing-key.js';
export { getPrincipal, tryGetPrincipal, type Principal } from './principal.js';
export { SESSION_COOKIE, type TokenCarrier } from './request-token.js';
export { SESSION_CACHE_DEFAULTS, type SessionCacheOptions, type SessionCacheStats } from './session-cache.js';
export {
  createSessionVerifier,
  SESSION_VERIFIER_DEFAULTS,
  type SessionVerifier,
  type SessionVerifierOptions,
  type VerificationKey,
  type VerificationResult,
} from './session-verifier.js';
export type { AuthFailure, AuthFailureCode } from './verification-outcome.js';
