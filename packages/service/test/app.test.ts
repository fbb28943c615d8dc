import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import request from 'supertest';
import { createSqlEntityRepository } from '../src/entities/index.js';
import { buildApp } from './fixtures/app.js';
import { testDatabase } from './fixtures/databases.js';
import { listen, type RunningServer } from './fixtures/http.js';

describe('createApp', () => {
  let server: RunningServer;
  before(async () => {
    server = await listen(buildApp(createSqlEntityRepository(testDatabase('pglite').db)).app);
  });
  after(() => server.close());

  it('answers GET /healthz', async () => {
    const res = await request(server.url).get('/healthz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
  });

  it('serves an OpenAPI 3.1 document that a validator accepts, listing every route, schema, error and the bearer scheme', async () => {
    const res = await request(server.url).get('/openapi.json').expect(200);
    const document = res.body as { openapi: string; paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown>; requestBody?: unknown }>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };
    const result = await new Validator().validate(document);
    expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
    expect(result.valid).to.equal(true);
    expect(document.openapi).to.equal('3.1.0');
    expect(Object.keys(document.paths)).to.deep.equal(['/api/v1/entities', '/api/v1/entities/{id}']);
    expect(Object.keys(document.paths['/api/v1/entities']!)).to.deep.equal(['post', 'get']);
    expect(Object.keys(document.paths['/api/v1/entities/{id}']!)).to.deep.equal(['get', 'patch', 'delete']);
    expect(document.components.securitySchemes).to.have.property('bearerAuth');
    expect(document.components.schemas).to.include.keys('Entity', 'EntityPage', 'Error');
    const post = document.paths['/api/v1/entities']!.post!;
    expect(post.security).to.deep.equal([{ bearerAuth: [] }]);
    expect(Object.keys(post.responses).sort()).to.deep.equal(['201', '401', '422', '500', '503']);
    expect(Object.keys(document.paths['/api/v1/entities/{id}']!.patch!.responses).sort()).to.deep.equal(['200', '401', '404', '422', '500', '503']);
    // The body schema is the validator's: the same limits and the unknown-field refusal.
    expect(post.requestBody).to.deep.nested.include({ 'content.application/json.schema.properties.title.maxLength': 255, 'content.application/json.schema.additionalProperties': false });
  });

  it('serves the docs page and its assets from this origin with a CSP that lets them load', async () => {
    const page = await request(server.url).get('/docs').expect(200).expect('Content-Type', /text\/html/);
    expect(page.text).to.contain('/docs/swagger-ui-bundle.js').and.not.to.match(/https?:\/\//);
    expect(page.headers['content-security-policy']).to.contain("script-src 'self'");
    await request(server.url).get('/docs/swagger-ui-bundle.js').expect(200).expect('Content-Type', /javascript/);
    await request(server.url).get('/docs/swagger-ui.css').expect(200).expect('Content-Type', /css/);
    // The API keeps its strict policy.
    const api = await request(server.url).get('/healthz');
    expect(api.headers['content-security-policy']).to.contain("default-src 'none'").and.not.to.contain('script-src');
  });

  it('serves no docs when DOCS_ENABLED is false (as in production by default)', async () => {
    const off = await listen(buildApp(createSqlEntityRepository(testDatabase('pglite').db), { DOCS_ENABLED: 'false' }).app);
    try {
      await request(off.url).get('/openapi.json').expect(404);
      await request(off.url).get('/docs').expect(404);
    } finally {
      await off.close();
    }
  });
});
