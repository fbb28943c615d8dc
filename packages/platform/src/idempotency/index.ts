export { createIdempotency, type Idempotency, type IdempotencyOptions } from './idempotency.js';
export type { IdempotencyFaultPoint } from './faults.js';
export type { IdempotencyKeyScope, IdempotencyRecord, IdempotencyStore, IdempotencyUnit, KeyedOutcome, RecordedAnswer, WithKeyOptions } from './store.js';
