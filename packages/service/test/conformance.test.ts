import { Writable } from 'node:stream';
import { createAuth, createLogger } from '@org/platform';
import { assertConformance, createTestKeyPair } from '@org/platform/testing';
import { createApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';

const ORIGIN = 'https://app.example.com';

describe('entities-service conformance', () => {
  it('is a conformant member of the fleet (platform conformance kit)', async () => {
    const keys = createTestKeyPair();
    const config = loadServiceConfig({ version: '0.1.0', env: { CORS_ORIGINS: ORIGIN, CLERK_JWT_KEY: keys.publicKeyPem }, envFile: false });
    const logger = createLogger({ service: config.SERVICE_NAME, version: config.SERVICE_VERSION, environment: 'local', stream: new Writable({ write: (_c, _e, cb) => cb() }) });
    await assertConformance(
      { app: createApp({ config, logger, auth: createAuth({ config, logger }) }) },
      {
        allowedOrigin: ORIGIN,
        // /healthz, /readyz and /version are required (the default). When the entities routes land, add
        // protectedRoute: { method: 'GET', path: '/api/v1/entities' } so the 401 check runs too.
        expectedVersion: '0.1.0',
      },
    );
  });
});
