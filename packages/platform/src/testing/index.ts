/**
 * @org/platform/testing: helpers for services' tests. Not for production code.
 * @packageDocumentation
 */
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
