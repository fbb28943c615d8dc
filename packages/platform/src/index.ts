/**
 * @org/platform: what a service needs to start (config, logger, lifecycle, app), to declare its
 * routes and errors, to call other services and to report health and metrics. Every export is
 * named here; the pipeline's pieces, the retry arithmetic and the tools live on subpaths
 * (`@org/platform/http`, `/client`, `/auth`, `/context`, `/config`, `/errors`, `/openapi`,
 * `/idempotency`, `/testing`), and nothing else is part of the API. UPGRADING.md lists where
 * each 0.x name went.
 *
 * Why each name is here: the functions and values are what a service calls (the workspace's
 * services and examples use each one, or its docs page shows the call: `tryGetPrincipal` in a
 * route that allows anonymous callers, `isServiceError`/`isUpstreamError` and `UpstreamError` to
 * tell the platform's errors apart in a catch). The types are the options and results of those
 * functions, which a service names to build them in steps or to type its own wrappers; and the
 * types a service's declaration files must be able to name (`ConfigField` for a config field
 * map, `PlatformJoi`/`PlatformStringSchema` for an exported schema: without them `tsc
 * --declaration` fails with TS2742). A type no service names stays unexported, reached through
 * its parent (`Parameters<Lifecycle['addStartupHook']>[1]`); its shape is still in the API report.
 * @packageDocumentation
 */
// Start a service: config, logger, error reporting, the lifecycle and the app.
export { createServiceApp, type ServiceAppOptions } from './app/create-service-app.js';
export { ConfigError, type ConfigProblem, isConfigError } from './config/config-error.js';
export { type ConfigField, type ConfigFields, type ConfigOf, env } from './config/fields.js';
export { configWarnings, loadConfig, type LoadConfigOptions } from './config/load-config.js';
export { type PlatformConfig, platformConfigFields } from './config/platform-fields.js';
export type { AppExtension } from './http/app-extension.js';
export { createLifecycle, type Lifecycle, type LifecycleOptions } from './lifecycle/lifecycle.js';
export { createLogger, type Logger, type LoggerOptions } from './logging/logger.js';
export { initObservability, type Observability, type ObservabilityOptions } from './observability/observability.js';

// Declare routes and their errors: route groups, validation, authentication, conditional and retried writes, the OpenAPI document.
export { callerAuthorization } from './auth/caller-authorization.js';
export { type Auth, type AuthOptions, createAuth } from './auth/create-auth.js';
export { getPrincipal, type Principal, tryGetPrincipal } from './auth/principal.js';
export { entityTag } from './conditional/entity-tag.js';
export { type IfMatch, ifMatchAllows } from './conditional/preconditions.js';
export { docsRoutes, type DocsRoutesOptions } from './docs/docs-routes.js';
export { createOpenApiDocument, type OpenApiDocument, type OpenApiDocumentOptions } from './docs/openapi.js';
export { createError, defineErrorCodes, type ErrorCodeRegistry, platformErrors } from './errors/codes.js';
export type { ErrorCode, ErrorRegistries } from './errors/registered-codes.js';
export { type ErrorDetail, isServiceError, ServiceError } from './errors/service-error.js';
export { createIdempotency, type Idempotency, type IdempotencyOptions } from './idempotency/idempotency.js';
export {
  defineRoute,
  type DefinedRoute,
  type IdempotencyKeyUse,
  type ResponseDeclaration,
  type RouteAuth,
  type RouteDeclaration,
  type RouteDefinition,
  type RouteInput,
  type RouteMethod,
  type RoutePreconditions,
  type RouteReply,
  type RouteRequest,
  type RouteResponses,
  type SentReply,
} from './routes/define-route.js';
export { createRouteGroup, type RouteGroup, type RouteGroupOptions, type RouteTag } from './routes/route-group.js';
export { joi, type PlatformJoi, type PlatformStringSchema } from './validation/joi.js';

// Call other services.
export { isUpstreamError, UpstreamError, type UpstreamErrorCode } from './client/errors.js';
export { createHttpClient, type HttpClient, type RequestOptions } from './client/http-client.js';
export type { HttpClientOptions } from './client/options.js';
export type { HttpResponse } from './client/response.js';
export { serviceClient, type ServiceClientOptions } from './client/service-client.js';

// Report health and metrics.
export { createHealth, type Health } from './health/health.js';
export { createMetrics, type Metrics, type MetricsOptions } from './metrics/metrics.js';
