export {
  deferredWrites,
  deferringWrites,
  refuseInKeyedRequest,
  whenCommitted,
  type DeferredWrites,
} from './deferred-writes.js';
export { createSqlIdempotencyStore } from './sql-idempotency-store.js';
export { CLAIM_LEASE_SECONDS, createSupabaseIdempotencyStore } from './supabase-idempotency-store.js';
