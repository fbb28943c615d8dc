import express, { type Express } from 'express';
import type { RequestListener } from 'node:http';
import { createAuth, createServiceApp, loadConfig } from '../../../src/index.js';
import { createTestKeyPair } from '../../../src/testing/index.js';
import { captureLogger } from '../../helpers.js';

export const ORIGIN = 'https://app.example.com';

const keys = createTestKeyPair();

/** A service built on the platform pipeline (with /healthz, /readyz, /version) and a route behind the platform's auth. */
export function platformApp(env: Record<string, string> = {}): Express {
  const config = loadConfig({ env: { CORS_ORIGINS: ORIGIN, SERVICE_VERSION: '1.2.3', CLERK_JWT_KEY: keys.publicKeyPem, ...env }, envFile: false });
  const { logger } = captureLogger();
  const auth = createAuth({ config, logger });
  const router = express.Router().get('/api/v1/things', auth.requireAuth(), (_req, res) => {
    res.json({ data: [] });
  });
  return createServiceApp({ config, logger, routes: router });
}

/** The platform app, except that `/readyz` and `/version` do not exist (an older or partial service). */
export function withoutReadyzAndVersion(): RequestListener {
  const app = platformApp();
  return function partialService(req, res) {
    if (req.url === '/readyz' || req.url === '/version') req.url = `/missing${req.url}`;
    app(req, res);
  };
}

/** An Express app that ignores every fleet convention. */
export function bareApp(): Express {
  const app = express();
  app.get('/healthz', (_req, res) => {
    res.send('ok');
  });
  return app;
}
