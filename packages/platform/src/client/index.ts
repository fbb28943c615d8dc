export {
  createCircuitBreakerRegistry,
  defaultCircuitBreakers,
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitBreakerRegistry,
  type CircuitBreakerState,
} from './circuit-breaker.js';
export { UpstreamError, isUpstreamError, type UpstreamErrorCode, type UpstreamErrorInfo } from './errors.js';
export { createHttpClient, type HttpClient, type RequestOptions } from './http-client.js';
export type { QueryParams } from './url.js';
export { DEFAULT_TIMEOUTS, type HttpClientOptions, type TimeoutOptions } from './options.js';
export { propagationHeaders } from './propagation.js';
export type { HttpResponse } from './response.js';
export { DEFAULT_RETRY, parseRetryAfter, retryDelay, type HttpMethod, type RetryDelayInput, type RetryJitter, type RetryOptions, type ResolvedRetryOptions } from './retry.js';
export { serviceClient, serviceUrlVariable, type ServiceClientOptions } from './service-client.js';
