import type { Express } from 'express';
import { createServiceApp, type Auth, type HttpClient, type Lifecycle, type Logger } from '@org/platform';
import type { OrdersConfig } from './config.js';
import { createOrderRoutes, type OrderBook } from './orders/index.js';

/** What the app needs, built by the composition root (main.ts) or by tests. */
export interface AppDeps {
  readonly config: OrdersConfig;
  readonly logger: Logger;
  readonly auth: Pick<Auth, 'requireAuth' | 'requireRole'>;
  /** The entities service's client. */
  readonly entities: HttpClient;
  readonly book: OrderBook;
  /** The process the app serves: readiness, load shedding, metrics and error reporting come from it. Tests may leave it out. */
  readonly lifecycle?: Pick<Lifecycle, 'health' | 'loadShedder' | 'metrics' | 'observability'>;
}

/**
 * The orders service's HTTP app: the platform pipeline and the order routes. No I/O happens here.
 *
 * @example
 * const app = createApp({ config, logger, auth, entities, book: createMemoryOrderBook(), lifecycle });
 */
export function createApp(deps: AppDeps): Express {
  return createServiceApp({
    config: deps.config,
    logger: deps.logger,
    routes: createOrderRoutes({ entities: deps.entities, book: deps.book, auth: deps.auth }),
    ...(deps.lifecycle === undefined ? {} : { lifecycle: deps.lifecycle }),
  });
}
