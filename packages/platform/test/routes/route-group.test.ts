import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { createAuth, createRouteGroup, createServiceApp, defineRoute, joi, loadConfig } from '../../src/index.js';
import { signSessionToken } from '../../src/testing/index.js';
import { sharedKeyPair } from '../auth/fixtures.js';
import { captureLogger } from '../helpers.js';

interface Order {
  readonly id: string;
  readonly sku: string;
  readonly owner: string;
}
const order = joi.object<Order, true>({
  id: joi.string().required(),
  sku: joi.string().required(),
  owner: joi.string().required(),
});
const ORDER_ID = '3f0c2a4e-8c1b-4d7e-9a55-0b6a2f1c9e10';

function harness() {
  const keys = sharedKeyPair('primary');
  const log = captureLogger();
  const config = loadConfig({ env: { CLERK_JWT_KEY: keys.publicKeyPem }, envFile: false });
  const auth = createAuth({ config, logger: log.logger });
  const seen: unknown[] = [];
  const orders = createRouteGroup({
    basePath: '/api/v1/orders',
    auth,
    routes: [
      defineRoute({
        method: 'post',
        path: '/',
        operationId: 'createOrder',
        summary: 'Create',
        auth: true,
        request: { body: joi.object<{ sku: string }, true>({ sku: joi.string().maxChars(5).required() }) },
        responses: {
          201: { description: 'Created', schema: order, headers: { Location: { description: 'x', required: true } } },
        },
        handler: ({ body, principal }) => ({
          status: 201,
          body: { id: ORDER_ID, sku: body.sku, owner: principal.userId },
          headers: { Location: `/api/v1/orders/${ORDER_ID}` },
        }),
      }),
      defineRoute({
        method: 'get',
        path: '/',
        operationId: 'listOrders',
        summary: 'List',
        auth: true,
        request: {
          query: joi.object<{ limit: number }, true>({ limit: joi.number().integer().min(1).max(10).default(5) }),
        },
        responses: {
          200: { description: 'OK', schema: joi.object<{ limit: number }, true>({ limit: joi.number().required() }) },
        },
        handler: ({ query }) => {
          seen.push(query);
          return { status: 200, body: { limit: query.limit } };
        },
      }),
      defineRoute({
        method: 'delete',
        path: '/:id',
        operationId: 'deleteOrder',
        summary: 'Delete',
        auth: { roles: ['org:admin'] },
        request: { params: joi.object<{ id: string }, true>({ id: joi.string().guid().required() }) },
        responses: { 204: { description: 'Deleted' } },
        handler: () => Promise.resolve({ status: 204 as const }),
      }),
      defineRoute({
        method: 'get',
        path: '/public/ping',
        operationId: 'ping',
        summary: 'Ping',
        responses: { 204: { description: 'Up' } },
        handler: () => ({ status: 204 }),
      }),
      defineRoute({
        method: 'get',
        path: '/public/boom',
        operationId: 'boom',
        summary: 'Boom',
        responses: { 204: { description: 'Never' } },
        handler: () => Promise.reject(new Error('secret failure text')),
      }),
    ],
  });
  const app = createServiceApp({ config, logger: log.logger, routes: orders });
  const bearer = (claims: Parameters<typeof signSessionToken>[1] = {}) => ({
    Authorization: `Bearer ${signSessionToken(keys, { userId: 'user_alice', ...claims })}`,
  });
  return { app, bearer, seen, log };
}

describe('createRouteGroup', () => {
  it('runs the handler with the validated, typed values and the principal, and sends its reply', async () => {
    const { app, bearer } = harness();
    const res = await request(app).post('/api/v1/orders').set(bearer()).send({ sku: 'abc' }).expect(201);
    expect(res.body).to.deep.equal({ id: ORDER_ID, sku: 'abc', owner: 'user_alice' });
    expect(res.headers.location).to.equal(`/api/v1/orders/${ORDER_ID}`);
    expect(res.headers['content-type']).to.equal('application/json; charset=utf-8');
  });

  it('converts query strings and applies defaults, and answers at the base path with and without a trailing slash', async () => {
    const { app, bearer, seen } = harness();
    await request(app).get('/api/v1/orders?limit=3&ignored=1').set(bearer()).expect(200, { limit: 3 });
    await request(app).get('/api/v1/orders/').set(bearer()).expect(200, { limit: 5 });
    expect(seen).to.deep.equal([{ limit: 3 }, { limit: 5 }]);
  });

  it('authenticates before it validates: no token → 401 even with an invalid body; the session cookie works too', async () => {
    const { app, bearer } = harness();
    const anonymous = await request(app).post('/api/v1/orders').send({ sku: 'far too long', extra: 1 }).expect(401);
    expect(anonymous.body.code).to.equal('AUTH_MISSING_TOKEN');
    const token = bearer().Authorization.slice('Bearer '.length);
    await request(app).post('/api/v1/orders').set('Cookie', `__session=${token}`).send({ sku: 'ok' }).expect(201);
  });

  it('answers 422 with one detail per failed constraint of every part', async () => {
    const { app, bearer } = harness();
    const res = await request(app)
      .post('/api/v1/orders')
      .set(bearer())
      .send({ sku: 'far too long', extra: 1 })
      .expect(422);
    expect(res.body.details).to.deep.equal([
      { field: 'sku', message: 'sku must be at most 5 characters long', type: 'string_too_long' },
      { field: 'extra', message: 'extra is not allowed', type: 'unknown_field' },
    ]);
    const missing = await request(app)
      .post('/api/v1/orders')
      .set(bearer())
      .set('Content-Type', 'application/json')
      .expect(422);
    expect(missing.body.details).to.deep.equal([{ field: 'body', message: 'body is required', type: 'missing' }]);
  });

  it('checks roles (403), sends bodiless replies, and serves public routes without a token', async () => {
    const { app, bearer } = harness();
    expect((await request(app).delete(`/api/v1/orders/${ORDER_ID}`).set(bearer()).expect(403)).body.code).to.equal(
      'FORBIDDEN',
    );
    const admin = await request(app)
      .delete(`/api/v1/orders/${ORDER_ID}`)
      .set(bearer({ orgId: 'org_1', orgRole: 'org:admin' }))
      .expect(204);
    expect(admin.text).to.equal('');
    await request(app).get('/api/v1/orders/public/ping').expect(204);
  });

  it('turns a failing handler into a 500 in the unified shape, without its text', async () => {
    const { app, log } = harness();
    const res = await request(app).get('/api/v1/orders/public/boom').expect(500);
    expect(res.body).to.include({ code: 'INTERNAL_ERROR', message: 'An unexpected error occurred.' });
    expect(JSON.stringify(res.body)).to.not.contain('secret failure text');
    expect(log.text()).to.contain('secret failure text');
  });

  it("sends a JSON reply with the same headers and bytes as res.json(), and keeps Express's ETag and 304 where the app has them", async () => {
    interface Page {
      readonly data: { readonly id: string; readonly sku: string }[];
      readonly next: string | null;
    }
    const page: Page = {
      data: Array.from({ length: 30 }, (_, i) => ({ id: `${ORDER_ID}-${i}`, sku: 'é'.repeat(i) })),
      next: null,
    };
    const pageSchema = joi.object<Page, true>({
      data: joi
        .array()
        .items(
          joi.object<Page['data'][number], true>({
            id: joi.string().required(),
            sku: joi.string().allow('').required(),
          }),
        )
        .required(),
      next: joi.string().allow(null).required(),
    });
    const route = defineRoute({
      method: 'get',
      path: '/',
      operationId: 'page',
      summary: 'x',
      responses: { 200: { description: 'x', schema: pageSchema } },
      handler: () => ({ status: 200, body: page }),
    });
    const group = createRouteGroup({ basePath: '/pages', routes: [route] });
    const log = captureLogger();
    const fast = await request(
      createServiceApp({ config: loadConfig({ env: {}, envFile: false }), logger: log.logger, routes: group }),
    )
      .get('/pages')
      .expect(200);
    const reference = express();
    reference.set('etag', false);
    reference.get('/pages', (_req, res) => {
      res.json(page);
    });
    const expected = await request(reference).get('/pages').expect(200);
    expect(fast.headers['content-type'])
      .to.equal(expected.headers['content-type'])
      .and.equal('application/json; charset=utf-8');
    expect(fast.headers['content-length']).to.equal(expected.headers['content-length']);
    expect(fast.text).to.equal(expected.text);
    expect(fast.headers).not.to.have.property('etag');
    expect(
      (
        await request(
          createServiceApp({ config: loadConfig({ env: {}, envFile: false }), logger: log.logger, routes: group }),
        )
          .head('/pages')
          .expect(200)
      ).text,
    ).to.equal(undefined);

    // A plain Express app with its default ETags: Express's own path, conditional requests included.
    const plain = express();
    group(plain);
    const tagged = await request(plain).get('/pages').expect(200);
    expect(tagged.headers.etag).to.be.a('string');
    await request(plain)
      .get('/pages')
      .set('If-None-Match', tagged.headers.etag as string)
      .expect(304);
  });

  it('refuses a route with auth in a group without auth, a route declared twice and a base path with a trailing slash', () => {
    const route = defineRoute({
      method: 'get',
      path: '/',
      operationId: 'x',
      summary: 'x',
      auth: true,
      responses: { 204: { description: 'x' } },
      handler: () => ({ status: 204 }),
    });
    expect(() => createRouteGroup({ basePath: '/x', routes: [route] })).to.throw(TypeError, /declares auth/);
    const auth = { requireAuth: () => () => undefined, requireRole: () => () => undefined };
    expect(() => createRouteGroup({ basePath: '/x', auth, routes: [route, route] })).to.throw(
      TypeError,
      /declared twice/,
    );
    expect(() => createRouteGroup({ basePath: '/x/', auth, routes: [route] })).to.throw(TypeError, /no trailing slash/);
  });
});

describe("a route's own middleware", () => {
  function app() {
    const keys = sharedKeyPair('primary');
    const log = captureLogger();
    const config = loadConfig({ env: { CLERK_JWT_KEY: keys.publicKeyPem }, envFile: false });
    const auth = createAuth({ config, logger: log.logger });
    const calls: string[] = [];
    const note: express.RequestHandler = (req, _res, next) => {
      calls.push(`note ${String(req.params.id)}`);
      next();
    };
    const refuseSeven: express.RequestHandler = (req, _res, next) =>
      next(req.params.id === '7' ? Object.assign(new Error('no seven'), { status: 409 }) : undefined);
    const group = createRouteGroup({
      basePath: '/api/v1/things',
      auth,
      routes: [
        defineRoute({
          method: 'get',
          path: '/:id',
          operationId: 'getThing',
          summary: 'Get',
          auth: true,
          middleware: [note, refuseSeven],
          request: { params: joi.object<{ id: number }, true>({ id: joi.number().integer().max(10).required() }) },
          responses: {
            200: { description: 'OK', schema: joi.object<{ id: number }, true>({ id: joi.number().required() }) },
          },
          handler: ({ params }) => ({ status: 200, body: { id: params.id } }),
        }),
      ],
    });
    const bearer = { Authorization: `Bearer ${signSessionToken(keys, { userId: 'user_alice' })}` };
    return {
      app: createServiceApp({ config, logger: log.logger, routes: group }),
      calls,
      bearer,
      definition: group.routes[0]!,
    };
  }

  it('runs after authentication and before validation, in order, and its next(error) is answered by the error handler', async () => {
    const { app: service, calls, bearer, definition } = app();
    await request(service).get('/api/v1/things/3').expect(401);
    expect(calls).to.deep.equal([]);
    await request(service).get('/api/v1/things/3').set(bearer).expect(200, { id: 3 });
    // Before validation: 99 is invalid, the middleware still ran first.
    await request(service).get('/api/v1/things/99').set(bearer).expect(422);
    const refused = await request(service).get('/api/v1/things/7').set(bearer).expect(409);
    expect(refused.body).to.include({ code: 'CONFLICT' });
    expect(calls).to.deep.equal(['note 3', 'note 99', 'note 7']);
    expect(definition.middleware).to.have.length(2);
    expect(Object.isFrozen(definition.middleware)).to.equal(true);
  });
});
