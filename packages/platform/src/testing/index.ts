/**
 * @org/platform/testing: helpers for services' tests (and for staging checks: the conformance kit).
 * Not for production code, and kept out of the main entry so production never loads it.
 * @packageDocumentation
 */
export * from './conformance/index.js';
export * from './idempotency/index.js';
export { closedLocalUrl, startJwksServer, type JwksRequest, type JwksServer, type JwksServerOptions } from './jwks-server.js';
export {
  createTestKeyPair,
  signSessionToken,
  type SessionClaimsInput,
  type SessionTimesInput,
  type SignSessionTokenOptions,
  type TestKeyPair,
  type TestTokenAlgorithm,
} from './tokens.js';
