import { expect } from 'chai';
import request from 'supertest';
import { createAuth, createLogger } from '@org/platform';
import { createTestKeyPair } from '@org/platform/testing';
import { Writable } from 'node:stream';
import { createApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';

describe('entities-service app', () => {
  it('answers GET /healthz', async () => {
    const keys = createTestKeyPair();
    const config = loadServiceConfig({ version: '0.1.0', env: { CLERK_JWT_KEY: keys.publicKeyPem }, envFile: false });
    const logger = createLogger({ service: config.SERVICE_NAME, version: config.SERVICE_VERSION, environment: 'local', stream: new Writable({ write: (_c, _e, cb) => cb() }) });
    const auth = createAuth({ config, logger });
    const res = await request(createApp({ config, logger, auth })).get('/healthz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
  });
});
