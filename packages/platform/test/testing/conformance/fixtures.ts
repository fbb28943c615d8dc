import express, { type Express } from 'express';
import { createError, createServiceApp, loadConfig, noStore, type AppExtension } from '../../../src/index.js';
import { captureLogger } from '../../helpers.js';

export const ORIGIN = 'https://app.example.com';

// /readyz and /version as the contract words them; the health branch brings the real ones.
const readyz: AppExtension = (app) => {
  app.get('/readyz', noStore, (_req, res) => {
    res.json({ status: 'ready', checks: { database: { status: 'ok', duration_ms: 1 } } });
  });
};
const version: AppExtension = (app) => {
  app.get('/version', noStore, (_req, res) => {
    res.json({ service_name: 'test-service', version: '1.2.3', commit: 'abc1234', build_time: '2026-11-26T00:00:00Z', environment: 'local' });
  });
};

/** A service built on the platform pipeline, with a token-protected route. */
export function platformApp(options: { operational?: boolean; env?: Record<string, string> } = {}): Express {
  const config = loadConfig({ env: { CORS_ORIGINS: ORIGIN, ...options.env }, envFile: false });
  const router = express.Router().get('/api/v1/things', (req, _res) => {
    if (req.headers.authorization === undefined) throw createError('AUTH_MISSING_TOKEN');
  });
  return createServiceApp({ config, logger: captureLogger().logger, routes: router, operational: options.operational === false ? [] : [readyz, version] });
}

/** An Express app that ignores every fleet convention. */
export function bareApp(): Express {
  const app = express();
  app.get('/healthz', (_req, res) => {
    res.send('ok');
  });
  return app;
}
