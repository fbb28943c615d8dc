import type { Express } from 'express';
import {
  createOpenApiDocument,
  createServiceApp,
  docsRoutes,
  type Auth,
  type Idempotency,
  type Lifecycle,
  type Logger,
} from '@org/platform';
import type { ServiceConfig } from './config.js';
import {
  createEntityBody,
  createEntityRoutes,
  createEntityService,
  entityPageSchema,
  entitySchema,
  updateEntityBody,
  type EntityRepository,
} from './entities/index.js';
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
  /**
   * The process the app serves (`createLifecycle` in main.ts): readiness, load shedding, request
   * metrics and error reporting come from it. Tests may leave it out (ready at once, no shedding).
   */
  readonly lifecycle?: Pick<Lifecycle, 'health' | 'loadShedder' | 'metrics' | 'observability'>;
}

/**
 * The service's HTTP app: the platform pipeline, the entity routes (auth, then validation) and
 * their OpenAPI document. No I/O happens here.
 *
 * @example
 * const app = createApp({ config, logger, auth, repository: store.repository, idempotency: createIdempotency({ store: store.idempotency }), lifecycle });
 */
export function createApp(deps: AppDeps): Express {
  const service = createEntityService({ repository: deps.repository, logger: deps.logger });
  const entities = createEntityRoutes({ service, auth: deps.auth, idempotency: deps.idempotency });
  const document = createOpenApiDocument({
    title: deps.config.SERVICE_NAME,
    version: deps.config.SERVICE_VERSION,
    description:
      'Entities CRUD: each caller sees and changes only their own entities. Every error body has the unified shape (`Error`). Other methods on these paths answer 405 `METHOD_NOT_ALLOWED` with an `Allow` header; unknown paths 404 `ROUTE_NOT_FOUND`.',
    license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    servers: deps.config.DOCS_SERVER_URLS,
    routeGroups: [entities],
    schemas: {
      Entity: entitySchema,
      EntityPage: entityPageSchema,
      EntityCreate: createEntityBody,
      EntityUpdate: updateEntityBody,
    },
    errorCodes: errorRegistries,
  });
  return createServiceApp({
    config: deps.config,
    logger: deps.logger,
    operational: [docsRoutes({ document, enabled: deps.config.DOCS_ENABLED, logger: deps.logger })],
    routes: entities,
    ...(deps.lifecycle === undefined ? {} : { lifecycle: deps.lifecycle }),
  });
}
