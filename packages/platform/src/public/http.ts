/**
 * @org/platform/http: the pieces of the request pipeline createServiceApp assembles, for an app
 * that assembles its own (benchmarks, a gateway): request context, security headers, CORS, access
 * log, body parsing, load shedding, 404/405 and the error handler.
 * @packageDocumentation
 */
export { accessLog } from '../http/access-log.js';
export { clientErrorHandler } from '../http/client-error.js';
export { corsPolicy } from '../http/cors-policy.js';
export { errorHandler, toServiceError } from '../http/error-handler.js';
export { jsonBody } from '../http/json-body.js';
export { createLoadShedder, type LoadShedder } from '../http/load-shedding.js';
export { noStore } from '../http/no-store.js';
export { notFoundHandler } from '../http/not-found.js';
export { requestContext } from '../http/request-context.js';
export { API_CONTENT_SECURITY_POLICY, securityHeaders } from '../http/security-headers.js';
