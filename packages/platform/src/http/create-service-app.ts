import express, { type Express, type RequestHandler, type Router } from 'express';
import type { PlatformConfig } from '../config/platform-fields.js';
import type { Logger } from '../logging/logger.js';
import { accessLog } from './access-log.js';
import { corsPolicy } from './cors-policy.js';
import { errorHandler, type ServerErrorListener } from './error-handler.js';
import { jsonBody } from './json-body.js';
import { noStore } from './no-store.js';
import { notFoundHandler } from './not-found.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';

/** The parts of the config the pipeline reads. */
export type PipelineConfig = Pick<PlatformConfig, 'ENVIRONMENT' | 'CORS_ORIGINS' | 'BODY_LIMIT'>;

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
}

function mount(app: Express, part: AppExtension | Router): void {
  // A Router is itself a function; tell them apart by the router's stack.
  if ('stack' in part) app.use(part);
  else part(app);
}

/**
 * Builds an Express app with the whole platform pipeline in the order ARCHITECTURE.md gives:
 * request context → security headers → CORS → access log → observers → JSON body → operational
 * routes (with `GET /healthz`) → the service's routes → 404/405 → the one error handler.
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

  app.use(requestContext());
  app.use(securityHeaders({ hsts: config.ENVIRONMENT === 'production' }));
  const cors = corsPolicy({ origins: config.CORS_ORIGINS });
  if (cors !== undefined) app.use(cors);
  app.use(accessLog({ logger }));
  for (const observer of options.observers ?? []) app.use(observer);
  app.use(jsonBody({ limit: config.BODY_LIMIT }));

  app.get('/healthz', noStore, function healthz(_req, res) {
    res.json({ status: 'ok' });
  });
  for (const extension of options.operational ?? []) extension(app);

  const routes = Array.isArray(options.routes) ? options.routes : [options.routes];
  for (const part of routes as readonly (AppExtension | Router)[]) mount(app, part);

  app.use(notFoundHandler());
  app.use(errorHandler({ logger, ...(options.onServerError === undefined ? {} : { onServerError: options.onServerError }) }));
  return app;
}
