export { setIdempotencyFault } from './faults.js';
export { createMemoryIdempotencyStore, type MemoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from './memory-store.js';
