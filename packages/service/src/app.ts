import type { Express } from 'express';
import { createOpenApiDocument, createServiceApp, docsRoutes, getPrincipal, type Auth, type Health, type LoadShedder, type Logger, type Observability } from '@org/platform';
import type { ServiceConfig } from './config.js';
import { createEntityRoutes, createEntityService, entityPageSchema, entitySchema, type EntityRepository } from './entities/index.js';

/** What the app needs, built by the composition root (main.ts) or by tests. */
export interface AppDeps {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  /** Authentication for the API routes (`auth.requireAuth()`), built from config in main.ts. */
  readonly auth: Pick<Auth, 'requireAuth'>;
  /** Where the entities live (chosen and opened in main.ts). */
  readonly repository: EntityRepository;
  /** The lifecycle's readiness registry; tests may leave it out (ready at once). */
  readonly health?: Health;
  /** Error reporting (Sentry); tests may leave it out. */
  readonly observability?: Observability;
  /** Load shedding (`lifecycle.loadShedder`); tests may leave it out. */
  readonly loadShedder?: Pick<LoadShedder, 'middleware'>;
}

/**
 * The service's HTTP app: the platform pipeline, the entity routes (auth, then validation) and
 * their OpenAPI document. No I/O happens here.
 *
 * @example
 * const app = createApp({ config, logger, auth, repository: store.repository, health: lifecycle.health });
 */
export function createApp(deps: AppDeps): Express {
  const service = createEntityService({ repository: deps.repository, logger: deps.logger });
  const entities = createEntityRoutes({ service, authenticate: deps.auth.requireAuth(), ownerOf: (req) => getPrincipal(req).userId });
  const document = createOpenApiDocument({
    title: deps.config.SERVICE_NAME,
    version: deps.config.SERVICE_VERSION,
    description: 'Entities CRUD: each caller sees and changes only their own entities.',
    routes: entities.descriptions,
    schemas: { Entity: entitySchema, EntityPage: entityPageSchema },
  });
  return createServiceApp({
    config: deps.config,
    logger: deps.logger,
    operational: [docsRoutes({ document, enabled: deps.config.DOCS_ENABLED })],
    routes: (app: Express) => app.use(entities.basePath, entities.router),
    ...(deps.health === undefined ? {} : { health: deps.health }),
    ...(deps.observability === undefined ? {} : { observability: deps.observability }),
    ...(deps.loadShedder === undefined ? {} : { loadShedder: deps.loadShedder }),
  });
}
