import type { Express } from 'express';
import { createTestKeyPair, type TestKeyPair } from '../../src/testing/index.js';
import {
  createAuth,
  createRouteGroup,
  createServiceApp,
  defineRoute,
  getPrincipal,
  joi,
  loadConfig,
  type Auth,
  type AuthOptions,
} from '../../src/index.js';
import { captureLogger, type CapturedLogger } from '../helpers.js';

export const PARTY = 'http://localhost:3000';

/** An app with one route per auth need, its auth, and the captured log. */
export interface AuthHarness {
  readonly app: Express;
  readonly auth: Auth;
  readonly log: CapturedLogger;
}

/** Builds auth from `config` and mounts test routes behind it. */
export function authHarness(
  config: AuthOptions['config'],
  extra: Partial<Omit<AuthOptions, 'config' | 'logger'>> = {},
): AuthHarness {
  const log = captureLogger();
  const auth = createAuth({ config, logger: log.logger, ...extra });
  const title = joi.object<{ title: string }, true>({ title: joi.string().min(1).required() });
  const created = createRouteGroup({
    basePath: '/private',
    auth,
    routes: [
      defineRoute({
        method: 'post',
        path: '/',
        operationId: 'createPrivate',
        summary: 'Create',
        auth: true,
        request: { body: title },
        responses: { 201: { description: 'Created', schema: title } },
        handler: ({ body }) => ({ status: 201, body }),
      }),
    ],
  });
  const app = createServiceApp({
    config: loadConfig({ env: {}, envFile: false }),
    logger: log.logger,
    routes: (app: Express) => {
      app.get('/private', auth.requireAuth(), function whoami(req, res) {
        const { claims: _claims, ...principal } = getPrincipal(req);
        res.json(principal);
      });
      created(app);
      app.get('/admin', auth.requireRole('org:admin'), function admin(_req, res) {
        res.json({ ok: true });
      });
      app.get('/staff', auth.requireAuth(), auth.requireRole('admin', 'org:editor'), function staff(_req, res) {
        res.json({ ok: true });
      });
    },
  });
  return { app, auth, log };
}

const shared = new Map<string, TestKeyPair>();

/**
 * A key pair shared by every test file that asks for the same name: RSA key generation costs
 * 0.1-1 s on a busy machine, and most tests only need "the key" and "another key".
 */
export function sharedKeyPair(name: 'primary' | 'other' | 'third'): TestKeyPair {
  let keys = shared.get(name);
  if (keys === undefined) {
    keys = createTestKeyPair();
    shared.set(name, keys);
  }
  return keys;
}
