export { accessLog, type AccessLogOptions } from './access-log.js';
export { corsPolicy, type CorsPolicyOptions } from './cors-policy.js';
export { createServiceApp, type AppExtension, type PipelineConfig, type ServiceAppOptions } from './create-service-app.js';
export { errorHandler, toServiceError, type ErrorHandlerOptions, type ServerErrorListener } from './error-handler.js';
export { jsonBody, type JsonBodyOptions } from './json-body.js';
export { noStore } from './no-store.js';
export { notFoundHandler } from './not-found.js';
export { CORRELATION_ID_PATTERN, contextOf, requestContext } from './request-context.js';
export { API_CONTENT_SECURITY_POLICY, securityHeaders, type SecurityHeadersOptions } from './security-headers.js';
