/**
 * @org/platform/testing: helpers for services' tests (and for staging checks: the conformance kit).
 * Not for production code, and kept out of the main entry so production never loads it.
 * @packageDocumentation
 */
export type { IdempotencyFaultPoint } from '../idempotency/faults.js';
export { assertConformance } from './conformance/assert-conformance.js';
export { runConformanceCommand } from './conformance/command.js';
export { ConformanceError, formatConformanceReport, isConformanceError } from './conformance/report.js';
export { runConformance } from './conformance/run-conformance.js';
export type { ConformanceOptions, ConformanceReport, ConformanceTarget } from './conformance/types.js';
export { setIdempotencyFault } from './idempotency/faults.js';
export { createMemoryIdempotencyStore, type MemoryIdempotencyStore } from './idempotency/memory-store.js';
export { closedLocalUrl, startJwksServer, type JwksServer } from './jwks-server.js';
export {
  createTestKeyPair,
  signSessionToken,
  type SessionClaimsInput,
  type SignSessionTokenOptions,
  type TestKeyPair,
} from './tokens.js';
