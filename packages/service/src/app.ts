import type { Express } from 'express';
import { createOpenApiDocument, createServiceApp, docsRoutes, type Auth, type Health, type Idempotency, type LoadShedder, type Logger, type Metrics, type Observability } from '@org/platform';
import type { ServiceConfig } from './config.js';
import { createEntityBody, createEntityRoutes, createEntityService, entityPageSchema, entitySchema, updateEntityBody, type EntityRepository } from './entities/index.js';
import { errorRegistries } from './errors.js';

/** What the app needs, built by the composition root (main.ts) or by tests. */
export interface AppDeps {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  /** Authentication for the API routes, built from config in main.ts. */
  readonly auth: Pick<Auth, 'requireAuth' | 'requireRole'>;
  /** Where the entities live (chosen and opened in main.ts). */
  readonly repository: EntityRepository;
  /** Idempotency keys of the create route, over the same store's records (`createIdempotency`). */
  readonly idempotency: Idempotency;
  /** The lifecycle's readiness registry; tests may leave it out (ready at once). */
  readonly health?: Health;
  /** Error reporting (Sentry); tests may leave it out. */
  readonly observability?: Observability;
  /** Load shedding (`lifecycle.loadShedder`); tests may leave it out. */
  readonly loadShedder?: Pick<LoadShedder, 'middleware'>;
  /** Request metrics and `/metrics` (built in main.ts, shared with auth's cache counts), or `false`; tests may leave it out (the pipeline's default). */
  readonly metrics?: Metrics | false;
}

/**
 * The service's HTTP app: the platform pipeline, the entity routes (auth, then validation) and
 * their OpenAPI document. No I/O happens here.
 *
 * @example
 * const app = createApp({ config, logger, auth, repository: store.repository, idempotency: createIdempotency({ store: store.idempotency }), health: lifecycle.health });
 */
export function createApp(deps: AppDeps): Express {
  const service = createEntityService({ repository: deps.repository, logger: deps.logger });
  const entities = createEntityRoutes({ service, auth: deps.auth, idempotency: deps.idempotency });
  const document = createOpenApiDocument({
    title: deps.config.SERVICE_NAME,
    version: deps.config.SERVICE_VERSION,
    description: 'Entities CRUD: each caller sees and changes only their own entities. Every error body has the unified shape (`Error`). Other methods on these paths answer 405 `METHOD_NOT_ALLOWED` with an `Allow` header; unknown paths 404 `ROUTE_NOT_FOUND`.',
    license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    servers: deps.config.DOCS_SERVER_URLS,
    routeGroups: [entities],
    schemas: { Entity: entitySchema, EntityPage: entityPageSchema, EntityCreate: createEntityBody, EntityUpdate: updateEntityBody },
    errorCodes: errorRegistries,
  });
  return createServiceApp({
    config: deps.config,
    logger: deps.logger,
    operational: [docsRoutes({ document, enabled: deps.config.DOCS_ENABLED, logger: deps.logger })],
    routes: entities,
    ...(deps.health === undefined ? {} : { health: deps.health }),
    ...(deps.observability === undefined ? {} : { observability: deps.observability }),
    ...(deps.loadShedder === undefined ? {} : { loadShedder: deps.loadShedder }),
    ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
  });
}
