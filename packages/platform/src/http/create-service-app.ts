import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { PlatformConfig } from '../config/platform-fields.js';
import { createHealth, type Health } from '../health/health.js';
import { createHealthRouter, HEALTH_PATHS, type VersionConfig } from '../health/health-router.js';
import type { Logger } from '../logging/logger.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import type { Observability } from '../observability/observability.js';
import { accessLog } from './access-log.js';
import { corsPolicy } from './cors-policy.js';
import { errorHandler, type ServerErrorListener } from './error-handler.js';
import { jsonBody } from './json-body.js';
import { middlewareChain } from './middleware-chain.js';
import type { LoadShedder } from './load-shedding.js';
import { notFoundHandler } from './not-found.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';

/** The parts of the config the pipeline reads (`/version` fields show `unknown` when absent). */
export type PipelineConfig = Pick<PlatformConfig, 'ENVIRONMENT' | 'CORS_ORIGINS' | 'BODY_LIMIT'> &
  VersionConfig &
  Partial<Pick<PlatformConfig, 'METRICS_ENABLED' | 'READINESS_TIMEOUT_MS'>>;

/** A step that adds routes or middleware to the app at a fixed place in the pipeline. */
export type AppExtension = (app: Express) => void;

/** Options of {@link createServiceApp}. */
export interface ServiceAppOptions {
  readonly config: PipelineConfig;
  readonly logger: Logger;
  /** The service's routers, mounted after the platform pipeline and before the 404/405/error handlers. */
  readonly routes: AppExtension | Router | readonly (AppExtension | Router)[];
  /** Middleware after the access log and before body parsing (metrics, load shedding). @default [] */
  readonly observers?: readonly RequestHandler[];
  /** Routes outside the service's API, mounted before it (health, version, metrics, docs). @default [] */
  readonly operational?: readonly AppExtension[];
  /** Listeners told of every 5xx (error reporting). @default [] */
  readonly onServerError?: readonly ServerErrorListener[];
  /**
   * The readiness registry behind `/readyz`; pass `lifecycle.health` so readiness follows startup
   * and shutdown. @default a registry that is ready at once and has no checks
   */
  readonly health?: Health;
  /**
   * Request metrics and `GET /metrics`; `false` turns them off. @default createMetrics() when
   * `config.METRICS_ENABLED` is not false
   */
  readonly metrics?: Metrics | false;
  /** Sheds load with 503 `OVERLOADED` while the event loop is late; pass `lifecycle.loadShedder`. @default no shedding */
  readonly loadShedder?: Pick<LoadShedder, 'middleware'>;
  /** Error reporting: every 5xx is sent with its request id. @default nothing reported */
  readonly observability?: Pick<Observability, 'onServerError'>;
}

/**
 * Passes a request into `router` only when its path is one of `paths` (matched as Express does:
 * any case, one trailing slash allowed). A router mounted at `/` costs every request that passes
 * by a walk of all its routes; the health routes would tax every API request that way. The
 * router's stack stays visible, so the 405 handler still finds its routes.
 */
function onlyForPaths(paths: readonly string[], router: Router): RequestHandler {
  const known = new Set(paths);
  // A longer path is none of these, in any case and with a slash at the end: most requests stop here.
  const longest = Math.max(...paths.map((path) => path.length)) + 1;
  const gate = function operationalRoutes(req: Request, res: Response, next: NextFunction): void {
    const path = req.path;
    if (path.length <= longest && (known.has(path) || known.has(path.toLowerCase().replace(/\/$/, '')))) router(req, res, next);
    else next();
  };
  return Object.assign(gate, { stack: router.stack });
}

function mount(app: Express, part: AppExtension | Router): void {
  // A Router is itself a function; tell them apart by the router's stack.
  if ('stack' in part) app.use(part);
  else part(app);
}

/**
 * Builds an Express app with the whole platform pipeline in the order ARCHITECTURE.md gives:
 * request context → security headers → CORS → access log → metrics → load shedding → observers → JSON body →
 * operational routes (`/healthz`, `/readyz`, `/version`, `/metrics`, then `operational`) → the
 * service's routes → 404/405 → the one error handler (which tells `observability` of 5xx).
 *
 * @example
 * const app = createServiceApp({ config, logger, routes: (app) => app.use('/api/v1/orders', ordersRouter) });
 * app.listen(config.PORT);
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const { config, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const metrics = options.metrics ?? (config.METRICS_ENABLED === false ? false : createMetrics());
  const cors = corsPolicy({ origins: config.CORS_ORIGINS });
  // Every request passes all of these: one Express layer instead of one each.
  app.use(
    middlewareChain([
      requestContext(),
      securityHeaders({ hsts: config.ENVIRONMENT === 'production' }),
      ...(cors === undefined ? [] : [cors]),
      accessLog({ logger }),
      ...(metrics === false ? [] : [metrics.middleware]),
      ...(options.loadShedder === undefined ? [] : [options.loadShedder.middleware]),
      ...(options.observers ?? []),
      jsonBody({ limit: config.BODY_LIMIT }),
    ]),
  );

  const health = options.health ?? createHealth({ ready: true, logger, ...(config.READINESS_TIMEOUT_MS === undefined ? {} : { defaultTimeoutMs: config.READINESS_TIMEOUT_MS }) });
  // The operational routes behind one gate: one Express layer for every API request to pass by.
  const operational = createHealthRouter({ health, config });
  if (metrics !== false) operational.get('/metrics', metrics.handler);
  app.use(onlyForPaths(metrics === false ? HEALTH_PATHS : [...HEALTH_PATHS, '/metrics'], operational));
  for (const extension of options.operational ?? []) extension(app);

  const routes = Array.isArray(options.routes) ? options.routes : [options.routes];
  for (const part of routes as readonly (AppExtension | Router)[]) mount(app, part);

  app.use(notFoundHandler());
  const onServerError = [...(options.observability === undefined ? [] : [options.observability.onServerError]), ...(options.onServerError ?? [])];
  app.use(errorHandler({ logger, onServerError }));
  return app;
}
