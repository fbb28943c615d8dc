import type { Express } from 'express';
import { createServiceApp, type Auth, type Logger } from '@org/platform';
import type { ServiceConfig } from './config.js';

/** What the app needs, built by the composition root (main.ts) or by tests. */
export interface AppDeps {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  /** Authentication for the API routes (`auth.requireAuth()`), built from config in main.ts. */
  readonly auth: Auth;
}

/** The service's HTTP app: routes only; no I/O happens here. */
export function createApp(deps: AppDeps): Express {
  return createServiceApp({ config: deps.config, logger: deps.logger, routes: [] });
}
