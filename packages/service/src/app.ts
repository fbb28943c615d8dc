import type { Express } from 'express';
import { createServiceApp, type Auth, type Health, type Logger, type Observability } from '@org/platform';
import type { ServiceConfig } from './config.js';

/** What the app needs, built by the composition root (main.ts) or by tests. */
export interface AppDeps {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  /** Authentication for the API routes (`auth.requireAuth()`), built from config in main.ts. */
  readonly auth: Auth;
  /** The lifecycle's readiness registry; tests may leave it out (ready at once). */
  readonly health?: Health;
  /** Error reporting (Sentry); tests may leave it out. */
  readonly observability?: Observability;
}

/** The service's HTTP app: routes only; no I/O happens here. */
export function createApp(deps: AppDeps): Express {
  return createServiceApp({
    config: deps.config,
    logger: deps.logger,
    routes: [],
    ...(deps.health === undefined ? {} : { health: deps.health }),
    ...(deps.observability === undefined ? {} : { observability: deps.observability }),
  });
}
