/**
 * @org/platform/auth: the pieces under createAuth, for tools and for services that need them on
 * their own: the local signing key and session tokens (`npm run token`), the session cookie's
 * name, a bare session verifier.
 * @packageDocumentation
 */
export { createLocalSessionToken, ensureLocalSigningKey, LOCAL_SIGNING_KEY_FILE } from '../auth/local-signing-key.js';
export { SESSION_COOKIE } from '../auth/request-token.js';
export { createSessionVerifier } from '../auth/session-verifier.js';
