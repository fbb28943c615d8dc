import { expect } from 'chai';
import type { Express, Request, Response } from 'express';
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

  it('routes operational paths as Express matches them (any case, trailing slash) and answers 405 for other methods', async () => {
    const { logger } = captureLogger();
    const app = createServiceApp({ config: loadConfig({ env: {}, envFile: false }), logger, routes: (a: Express) => a.get('/api/v1/things', (_req: Request, res: Response) => res.json({ ok: true })) });
    for (const path of ['/healthz', '/HEALTHZ', '/healthz/', '/Version/']) {
      await request(app).get(path).expect(200);
    }
    await request(app).head('/readyz').expect(200);
    const wrongMethod = await request(app).post('/healthz').expect(405);
    expect(wrongMethod.headers.allow).to.equal('GET, HEAD');
    expect((wrongMethod.body as { code: string }).code).to.equal('METHOD_NOT_ALLOWED');
    await request(app).get('/healthzz').expect(404);
    await request(app).get('/api/v1/things').expect(200);
  });
});
