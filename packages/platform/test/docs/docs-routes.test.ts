import { expect } from 'chai';
import Joi from 'joi';
import request from 'supertest';
import {
  createOpenApiDocument,
  createServiceApp,
  docsRoutes,
  loadConfig,
  platformConfigFields,
} from '../../src/index.js';
import { captureLogger } from '../helpers.js';

const document = createOpenApiDocument({ title: 'demo <service>', version: '1.0.0', routeGroups: [] });

function app(enabled?: boolean) {
  const docs = docsRoutes(enabled === undefined ? { document } : { document, enabled });
  return createServiceApp({
    config: loadConfig({ env: {}, envFile: false }),
    logger: captureLogger().logger,
    routes: [],
    operational: [docs],
  });
}

describe('docsRoutes', () => {
  it('serves the document at /openapi.json, not cacheable', async () => {
    const res = await request(app()).get('/openapi.json').expect(200).expect('Cache-Control', 'no-store');
    expect(res.body).to.deep.equal(document);
  });

  it('serves a page that loads only same-origin assets, with the docs CSP on the page alone', async () => {
    const page = await request(app())
      .get('/docs')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(page.text).to.contain('<title>demo &#60;service&#62; docs</title>');
    expect(page.text).not.to.match(/<script>(?!<\/script>)|https?:\/\//);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp)
      .to.contain("script-src 'self'")
      .and.to.contain("frame-ancestors 'none'")
      .and.not.to.contain('unsafe-eval');
    // A document: helmet's document headers, which JSON answers go without.
    expect(page.headers).to.include({
      'cross-origin-opener-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
    });
    const init = await request(app())
      .get('/docs/init.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    expect(init.text).to.contain('"/openapi.json"');
    await request(app()).get('/docs/swagger-ui-bundle.js').expect(200);
    const json = await request(app()).get('/openapi.json');
    expect(json.headers['content-security-policy']).to.contain("default-src 'none'").and.not.to.contain('script-src');
    expect(json.headers).not.to.have.property('cross-origin-opener-policy');
  });

  it('serves no other file of the package', async () => {
    await request(app()).get('/docs/package.json').expect(404);
    await request(app()).get('/docs/..%2Fpackage.json').expect(404);
  });

  it('mounts nothing when disabled', async () => {
    await request(app(false)).get('/openapi.json').expect(404);
    await request(app(false)).get('/docs').expect(404);
  });
});

describe('DOCS_ENABLED', () => {
  const fields = Joi.object({
    ENVIRONMENT: platformConfigFields.ENVIRONMENT.schema,
    DOCS_ENABLED: platformConfigFields.DOCS_ENABLED.schema,
  });

  it('defaults to on outside production and off in production; an explicit value wins', () => {
    expect(fields.validate({ ENVIRONMENT: 'local' }).value).to.include({ DOCS_ENABLED: true });
    expect(fields.validate({ ENVIRONMENT: 'staging' }).value).to.include({ DOCS_ENABLED: true });
    expect(fields.validate({ ENVIRONMENT: 'production' }).value).to.include({ DOCS_ENABLED: false });
    expect(fields.validate({ ENVIRONMENT: 'production', DOCS_ENABLED: 'yes' }).value).to.include({
      DOCS_ENABLED: true,
    });
  });
});
