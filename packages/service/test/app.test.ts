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

  it('serves an OpenAPI 3.1 document that a validator accepts, declaring every route, status, schema and both security schemes', async () => {
    const res = await request(server.url).get('/openapi.json').expect(200);
    type Responses = Record<
      string,
      {
        headers?: Record<string, { required?: boolean }>;
        content?: Record<string, { examples?: Record<string, { value: { code: string } }> }>;
      }
    >;
    const document = res.body as {
      openapi: string;
      info: Record<string, unknown>;
      servers: unknown;
      paths: Record<
        string,
        Record<string, { security?: unknown; parameters?: unknown; responses: Responses; requestBody?: unknown }>
      >;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    const result = await new Validator().validate(document);
    expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
    expect(result.valid).to.equal(true);
    expect(document.openapi).to.equal('3.1.0');
    expect(document.servers).to.deep.equal([{ url: '/' }]);
    expect(document.info.license).to.deep.equal({ name: 'Proprietary', identifier: 'LicenseRef-Proprietary' });
    expect(Object.keys(document.paths)).to.deep.equal([
      '/api/v1/entities',
      '/api/v1/entities/{id}',
      '/api/v1/entities/',
    ]);
    expect(document.paths['/api/v1/entities/']).to.deep.equal({ $ref: '#/paths/~1api~1v1~1entities' });
    expect(Object.keys(document.paths['/api/v1/entities']!)).to.deep.equal(['post', 'get']);
    expect(Object.keys(document.paths['/api/v1/entities/{id}']!)).to.deep.equal(['get', 'patch', 'delete']);
    expect(document.components.securitySchemes).to.have.keys('bearerAuth', 'sessionCookie');
    expect(document.components.schemas).to.have.keys('Entity', 'EntityPage', 'EntityCreate', 'EntityUpdate', 'Error');
    const post = document.paths['/api/v1/entities']!.post!;
    expect(post.security).to.deep.equal([{ bearerAuth: [] }, { sessionCookie: [] }]);
    expect(Object.keys(post.responses)).to.deep.equal(['201', '400', '401', '409', '413', '415', '422', '500', '503']);
    expect(post.responses['201']!.headers!.Location!.required).to.equal(true);
    expect(Object.keys(post.responses['201']!.headers!)).to.deep.equal(['Location', 'ETag', 'Idempotent-Replayed']);
    // Retried writes and preconditions, from each route's one declaration.
    type Parameter = { name: string; in: string; required: boolean };
    const headerParameters = (operation: { parameters?: unknown }) =>
      (operation.parameters as Parameter[])
        .filter((p) => p.in === 'header')
        .map((p) => `${p.name}${p.required ? '!' : ''}`);
    expect(headerParameters(post)).to.deep.equal(['Idempotency-Key']);
    const codes = (operation: { responses: Responses }, status: string) =>
      Object.keys(operation.responses[status]!.content!['application/json']!.examples!);
    expect(codes(post, '409')).to.deep.equal(['IDEMPOTENCY_KEY_IN_FLIGHT']);
    expect(post.responses['409']!.headers).to.have.key('Retry-After');
    expect(codes(post, '422')).to.deep.equal(['VALIDATION_FAILED', 'IDEMPOTENCY_KEY_REUSED']);
    expect(codes(post, '400')).to.include('IDEMPOTENCY_KEY_INVALID');
    const get = document.paths['/api/v1/entities/{id}']!.get!;
    expect(headerParameters(get)).to.deep.equal(['If-None-Match']);
    expect(Object.keys(get.responses)).to.include('304');
    expect(get.responses['304']!.headers!.ETag!.required).to.equal(true);
    expect(get.responses['200']!.headers!.ETag!.required).to.equal(true);
    const patch = document.paths['/api/v1/entities/{id}']!.patch!;
    expect(headerParameters(patch)).to.deep.equal(['If-Match']);
    expect(headerParameters(document.paths['/api/v1/entities/{id}']!.delete!)).to.deep.equal(['If-Match']);
    expect(Object.keys(patch.responses)).to.deep.equal([
      '200',
      '400',
      '401',
      '404',
      '412',
      '413',
      '415',
      '422',
      '500',
      '503',
    ]);
    expect(codes(patch, '412')).to.deep.equal(['PRECONDITION_FAILED']);
    expect(headerParameters(document.paths['/api/v1/entities']!.get!)).to.deep.equal([]);
    const examples = (status: string) => Object.keys(patch.responses[status]!.content!['application/json']!.examples!);
    expect(examples('404')).to.deep.equal(['ENTITY_NOT_FOUND']);
    expect(examples('500')).to.deep.equal(['INTERNAL_ERROR', 'ENTITY_GET_FAILED', 'ENTITY_UPDATE_FAILED']);
    expect(examples('503')).to.deep.equal(['OVERLOADED', 'AUTH_UNAVAILABLE', 'DATABASE_UNAVAILABLE']);
    // The body schema is the validator's: the same limits and the unknown-field refusal.
    expect(document.components.schemas.EntityCreate).to.deep.nested.include({
      'properties.title.maxLength': 255,
      'properties.title.minLength': 1,
      additionalProperties: false,
    });
    expect(document.components.schemas.EntityPage).to.deep.nested.include({
      'properties.data.items': { $ref: '#/components/schemas/Entity' },
    });
  });

  it('serves the docs page and its assets from this origin with a CSP that lets them load', async () => {
    const page = await request(server.url)
      .get('/docs')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(page.text)
      .to.contain('/docs/swagger-ui-bundle.js')
      .and.not.to.match(/https?:\/\//);
    expect(page.headers['content-security-policy']).to.contain("script-src 'self'");
    await request(server.url)
      .get('/docs/swagger-ui-bundle.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await request(server.url).get('/docs/swagger-ui.css').expect(200).expect('Content-Type', /css/);
    // The API keeps its strict policy.
    const api = await request(server.url).get('/healthz');
    expect(api.headers['content-security-policy']).to.contain("default-src 'none'").and.not.to.contain('script-src');
  });

  it('serves no docs when DOCS_ENABLED is false (as in production by default)', async () => {
    const off = await listen(
      buildApp(createSqlEntityRepository(testDatabase('pglite').db), { DOCS_ENABLED: 'false' }).app,
    );
    try {
      await request(off.url).get('/openapi.json').expect(404);
      await request(off.url).get('/docs').expect(404);
    } finally {
      await off.close();
    }
  });
});
