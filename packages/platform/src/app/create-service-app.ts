import express, {
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { PlatformConfig } from '../config/platform-fields.js';
import { createHealth } from '../health/health.js';
import { createHealthRouter, HEALTH_PATHS, type VersionConfig } from '../health/health-router.js';
import { accessLog } from '../http/access-log.js';
import type { AppExtension } from '../http/app-extension.js';
import { corsPolicy } from '../http/cors-policy.js';
import { errorHandler, type ServerErrorListener } from '../http/error-handler.js';
import { jsonBody } from '../http/json-body.js';
import { notFoundHandler } from '../http/not-found.js';
import { requestContext } from '../http/request-context.js';
import { securityHeaders } from '../http/security-headers.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import type { Logger } from '../logging/logger.js';
import { createMetrics } from '../metrics/metrics.js';
import { middlewareChain } from './middleware-chain.js';

/** The parts of the config the pipeline reads (`/version` fields show `unknown` when absent). */
export type PipelineConfig = Pick<PlatformConfig, 'ENVIRONMENT' | 'CORS_ORIGINS' | 'BODY_LIMIT'> &
  VersionConfig &
  Partial<Pick<PlatformConfig, 'METRICS_ENABLED' | 'READINESS_TIMEOUT_MS'>>;

/** Options of {@link createServiceApp}. */
export interface ServiceAppOptions {
  readonly config: PipelineConfig;
  readonly logger: Logger;
  /** The service's routers, mounted after the platform pipeline and before the 404/405/error handlers. */
  readonly routes: AppExtension | Router | readonly (AppExtension | Router)[];
  /** The service's own middleware, after metrics and load shedding and before body parsing. @default [] */
  readonly observers?: readonly RequestHandler[];
  /** Routes outside the service's API, mounted before it (health, version, metrics, docs). @default [] */
  readonly operational?: readonly AppExtension[];
  /** Listeners told of every 5xx, besides the lifecycle's error reporting. @default [] */
  readonly onServerError?: readonly ServerErrorListener[];
  /**
   * The process this app serves (`createLifecycle`): `/readyz` reads its readiness, its load
   * shedder answers 503 `OVERLOADED` while the event loop is late, its metrics time every request
   * and answer `GET /metrics`, and its observability is told of every 5xx. One option, so none of
   * them can be left out. Without it (tests, tools) the app is ready at once, sheds nothing,
   * reports nowhere, and has request metrics of its own unless `config.METRICS_ENABLED` is false.
   */
  readonly lifecycle?: Pick<Lifecycle, 'health' | 'loadShedder' | 'metrics' | 'observability'>;
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
    if (path.length <= longest && (known.has(path) || known.has(path.toLowerCase().replace(/\/$/, ''))))
      router(req, res, next);
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
 * Builds an Express app with the whole platform pipeline in the order docs/architecture.md gives:
 * request context → security headers → CORS → access log → metrics → load shedding → observers → JSON body →
 * operational routes (`/healthz`, `/readyz`, `/version`, `/metrics`, then `operational`) → the
 * service's routes → 404/405 → the one error handler (which tells `observability` of 5xx).
 *
 * @example
 * const lifecycle = createLifecycle({ config, logger, observability });
 * const app = createServiceApp({ config, logger, lifecycle, routes: (app) => app.use('/api/v1/orders', ordersRouter) });
 * await lifecycle.start(app);
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const { config, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const { lifecycle } = options;
  const metrics =
    lifecycle === undefined ? (config.METRICS_ENABLED === false ? false : createMetrics()) : lifecycle.metrics;
  const cors = corsPolicy({ origins: config.CORS_ORIGINS });
  // Every request passes all of these: one Express layer instead of one each.
  app.use(
    middlewareChain([
      requestContext(),
      securityHeaders({ hsts: config.ENVIRONMENT === 'production' }),
      ...(cors === undefined ? [] : [cors]),
      accessLog({ logger }),
      ...(metrics === false ? [] : [metrics.middleware]),
      ...(lifecycle === undefined ? [] : [lifecycle.loadShedder.middleware]),
      ...(options.observers ?? []),
      jsonBody({ limit: config.BODY_LIMIT }),
    ]),
  );

  const health =
    lifecycle?.health ??
    createHealth({
      ready: true,
      logger,
      ...(config.READINESS_TIMEOUT_MS === undefined ? {} : { defaultTimeoutMs: config.READINESS_TIMEOUT_MS }),
    });
  // The operational routes behind one gate: one Express layer for every API request to pass by.
  const operational = createHealthRouter({ health, config });
  if (metrics !== false) operational.get('/metrics', metrics.handler);
  app.use(onlyForPaths(metrics === false ? HEALTH_PATHS : [...HEALTH_PATHS, '/metrics'], operational));
  for (const extension of options.operational ?? []) extension(app);

  const routes = Array.isArray(options.routes) ? options.routes : [options.routes];
  for (const part of routes as readonly (AppExtension | Router)[]) mount(app, part);

  app.use(notFoundHandler());
  const reporter = lifecycle?.observability?.onServerError;
  const onServerError = [...(reporter === undefined ? [] : [reporter]), ...(options.onServerError ?? [])];
  app.use(errorHandler({ logger, onServerError }));
  return app;
}
