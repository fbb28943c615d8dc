import type { Express } from 'express';
import { createServiceApp, type Auth, type Health, type HttpClient, type LoadShedder, type Logger } from '@org/platform';
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
  readonly health?: Health;
  readonly loadShedder?: Pick<LoadShedder, 'middleware'>;
}

/**
 * The orders service's HTTP app: the platform pipeline and the order routes. No I/O happens here.
 *
 * @example
 * const app = createApp({ config, logger, auth, entities, book: createMemoryOrderBook(), health: lifecycle.health });
 */
export function createApp(deps: AppDeps): Express {
  return createServiceApp({
    config: deps.config,
    logger: deps.logger,
    routes: createOrderRoutes({ entities: deps.entities, book: deps.book, auth: deps.auth }),
    ...(deps.health === undefined ? {} : { health: deps.health }),
    ...(deps.loadShedder === undefined ? {} : { loadShedder: deps.loadShedder }),
  });
}
