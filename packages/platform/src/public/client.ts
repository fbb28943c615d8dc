/**
 * @org/platform/client: the HTTP client's arithmetic and parts, for services that tune or test
 * them: retry delays and Retry-After, default timeouts, circuit breaker registries, the
 * propagated headers, the service URL variable.
 * @packageDocumentation
 */
export { createCircuitBreakerRegistry, defaultCircuitBreakers } from '../client/circuit-breaker.js';
export { DEFAULT_TIMEOUTS } from '../client/options.js';
export { propagationHeaders } from '../client/propagation.js';
export { DEFAULT_RETRY, parseRetryAfter, retryDelay } from '../client/retry.js';
export { serviceUrlVariable } from '../client/service-client.js';
