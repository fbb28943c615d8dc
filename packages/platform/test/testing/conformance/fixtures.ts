import express, { type Express } from 'express';
import type { RequestListener } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  createAuth,
  createIdempotency,
  createRouteGroup,
  createServiceApp,
  defineRoute,
  joi,
  loadConfig,
} from '../../../src/index.js';
import {
  createMemoryIdempotencyStore,
  createTestKeyPair,
  signSessionToken,
  type ConformanceOptions,
} from '../../../src/testing/index.js';
import { captureLogger } from '../../helpers.js';

export const ORIGIN = 'https://app.example.com';

const keys = createTestKeyPair();

/** The create route of {@link platformApp} that takes an `Idempotency-Key`, as the kit's option names it. */
export const IDEMPOTENT_ROUTE: NonNullable<ConformanceOptions['idempotentRoute']> = {
  method: 'POST',
  path: '/api/v1/notes',
  body: { text: 'first' },
  otherBody: { text: 'another' },
  headers: { Authorization: `Bearer ${signSessionToken(keys, { userId: 'user_conformance' }, { expiresIn: 3600 })}` },
};

/** A service built on the platform pipeline (with /healthz, /readyz, /version), a route behind the platform's auth, and an idempotent create. */
export function platformApp(env: Record<string, string> = {}): Express {
  const config = loadConfig({
    env: { CORS_ORIGINS: ORIGIN, SERVICE_VERSION: '1.2.3', CLERK_JWT_KEY: keys.publicKeyPem, ...env },
    envFile: false,
  });
  const { logger } = captureLogger();
  const auth = createAuth({ config, logger });
  const router = express.Router().get('/api/v1/things', auth.requireAuth(), (_req, res) => {
    res.json({ data: [] });
  });
  const note = joi.object<{ id: string; text: string }, true>({
    id: joi.string().required(),
    text: joi.string().required(),
  });
  const notes = createRouteGroup({
    basePath: '/api/v1/notes',
    auth,
    idempotency: createIdempotency({ store: createMemoryIdempotencyStore() }),
    routes: [
      defineRoute({
        method: 'post',
        path: '/',
        operationId: 'createNote',
        summary: 'Create a note',
        auth: true,
        idempotencyKey: 'optional',
        request: { body: joi.object<{ text: string }, true>({ text: joi.string().max(100).required() }) },
        responses: { 201: { description: 'Created', schema: note } },
        handler: ({ body }) => ({ status: 201, body: { id: randomUUID(), text: body.text } }),
      }),
    ],
  });
  return createServiceApp({ config, logger, routes: [router, notes] });
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
