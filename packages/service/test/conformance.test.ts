import { Writable } from 'node:stream';
import { createAuth, createIdempotency, createLogger } from '@org/platform';
import { assertConformance, createTestKeyPair, signSessionToken } from '@org/platform/testing';
import { createApp } from '../src/app.js';
import { createSqlIdempotencyStore } from '../src/idempotency/index.js';
import { loadServiceConfig } from '../src/config.js';
import { createSqlEntityRepository } from '../src/entities/index.js';
import { testDatabase } from './fixtures/databases.js';

const ORIGIN = 'https://app.example.com';

describe('entities-service conformance', () => {
  it('is a conformant member of the fleet (platform conformance kit)', async () => {
    const keys = createTestKeyPair();
    const config = loadServiceConfig({
      version: '0.1.0',
      env: { CORS_ORIGINS: ORIGIN, CLERK_JWT_KEY: keys.publicKeyPem },
      envFile: false,
    });
    const logger = createLogger({
      service: config.SERVICE_NAME,
      version: config.SERVICE_VERSION,
      environment: 'local',
      stream: new Writable({ write: (_c, _e, cb) => cb() }),
    });
    const db = testDatabase('pglite').db;
    const idempotency = createIdempotency({ store: createSqlIdempotencyStore(db) });
    await assertConformance(
      {
        app: createApp({
          config,
          logger,
          auth: createAuth({ config, logger }),
          repository: createSqlEntityRepository(db),
          idempotency,
        }),
      },
      {
        allowedOrigin: ORIGIN,
        protectedRoute: { method: 'GET', path: '/api/v1/entities' },
        expectedVersion: '0.1.0',
        idempotentRoute: {
          method: 'POST',
          path: '/api/v1/entities',
          body: { title: 'Conformance' },
          otherBody: { title: 'Conformance, again' },
          headers: { Authorization: `Bearer ${signSessionToken(keys, { userId: 'user_conformance' })}` },
        },
      },
    );
  });
});
