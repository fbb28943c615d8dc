/**
 * @org/platform/idempotency: the contract of an idempotency store, for services that keep
 * idempotency records in a store of their own (createIdempotency({ store })).
 * @packageDocumentation
 */
export type {
  IdempotencyKeyScope,
  IdempotencyRecord,
  IdempotencyStore,
  IdempotencyUnit,
  KeyedOutcome,
  RecordedAnswer,
  WithKeyOptions,
} from '../idempotency/store.js';
