import { expect } from 'chai';
import request from 'supertest';
import { createServiceApp, loadConfig } from '../../src/index.js';
import { captureLogger } from '../helpers.js';

describe('createServiceApp', () => {
  it('answers GET /healthz with {"status":"ok"} and a request id', async () => {
    const { logger } = captureLogger();
    const app = createServiceApp({ config: loadConfig({ env: {}, envFile: false }), logger, routes: [] });
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
    expect(res.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
  });
});
