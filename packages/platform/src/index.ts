/**
 * @org/platform: the conventions every service in the fleet shares.
 * Everything public is exported here by name; nothing else is part of the API.
 * @packageDocumentation
 */
export * from './auth/index.js';
export * from './client/index.js';
export * from './conditional/index.js';
export * from './config/index.js';
export * from './context/index.js';
export * from './docs/index.js';
export * from './errors/index.js';
export * from './health/index.js';
export * from './http/index.js';
export * from './idempotency/index.js';
export * from './lifecycle/index.js';
export * from './logging/index.js';
export * from './metrics/index.js';
export * from './observability/index.js';
export * from './routes/index.js';
export * from './validation/index.js';
