import { expect } from 'chai';
import request from 'supertest';
import {
  createOpenApiDocument,
  createRouteGroup,
  createServiceApp,
  defineErrorCodes,
  defineRoute,
  joi,
  loadConfig,
  type DefinedRoute,
  type ErrorCode,
  type RouteDefinition,
} from '../../src/index.js';
import { captureLogger } from '../helpers.js';

// The compiler is half of this file: each `@ts-expect-error` must meet an error (`pnpm run
// typecheck` fails on an unused one), and the rest must compile.

const shopErrors = defineErrorCodes({
  SHOP_CLOSED: { status: 409, message: 'The shop is closed', description: 'Orders wait for opening hours.' },
  SHOP_NOT_FOUND: { status: 404, message: 'Shop not found', description: 'No shop with this id.' },
});
// Declared, never registered: its codes are not routes' to name.
export const strayErrors = defineErrorCodes({
  STRAY_CODE: { status: 418, message: 'Stray', description: 'Of a registry nobody registered.' },
});

declare module '../../src/index.js' {
  interface ErrorRegistries {
    readonly routeTypesShops: typeof shopErrors;
  }
}

interface Shop {
  readonly id: string;
  readonly open: boolean;
}
const shop = joi.object<Shop, true>({ id: joi.string().required(), open: joi.boolean().required() });
const shopParams = joi.object<{ id: string }, true>({
  id: joi
    .string()
    .pattern(/^s\d+$/)
    .required(),
});

const getShop = defineRoute({
  method: 'get',
  path: '/:id',
  operationId: 'getShop',
  summary: 'Get a shop',
  request: { params: shopParams, query: joi.object<{ open?: boolean }, true>({ open: joi.boolean() }) },
  responses: { 200: { description: 'The shop', schema: shop } },
  errors: ['SHOP_NOT_FOUND', 'DATABASE_UNAVAILABLE'],
  handler: ({ params }) => {
    if (params.id === 's0') throw shopErrors.create('SHOP_NOT_FOUND');
    // Thrown before any promise exists: answered as if the handler were async.
    if (params.id === 's9') throw shopErrors.create('SHOP_CLOSED');
    return { status: 200, body: { id: params.id, open: true } };
  },
});

// defineRoute returns the route with its types: the handler's input and reply, the responses.
type GetShopInput = Parameters<typeof getShop.handler>[0];
export const paramsKept: GetShopInput['params'] = { id: 's1' };
export const queryKept: GetShopInput['query'] = { open: true };
// @ts-expect-error params are `{ id: string }`, not a number
export const paramsChecked: GetShopInput['params'] = { id: 1 };
export const bodyKept: GetShopInput['body'] = undefined;
export const principalKept: GetShopInput['principal'] = undefined;
export const responsesKept: 'The shop' extends (typeof getShop.responses)[200]['description'] ? true : false = true;
export const replyKept: Awaited<ReturnType<typeof getShop.handler>> = { status: 200, body: { id: 's1', open: false } };
// @ts-expect-error the reply's body has the response schema's type
export const replyChecked: Awaited<ReturnType<typeof getShop.handler>> = { status: 200, body: { id: 's1' } };
export const typedRoute: DefinedRoute<
  { id: string },
  { open?: boolean },
  undefined,
  { readonly 200: { readonly description: 'The shop'; readonly schema: typeof shop } },
  false
> = getShop;
// A typed route is a group's element without a cast: the one erasure, where a group takes it.
export const erased: RouteDefinition = getShop;

// `errors` takes the registered codes only.
export const codes: readonly ErrorCode[] = ['SHOP_CLOSED', 'SHOP_NOT_FOUND', 'DATABASE_UNAVAILABLE', 'ROUTE_NOT_FOUND'];

export const misspelled = defineRoute({
  method: 'post',
  path: '/:id/orders',
  operationId: 'misspelled',
  summary: 'A misspelled code',
  responses: { 204: { description: 'Done' } },
  // @ts-expect-error SHOP_CLOSD is in no registry (the compiler asks: did you mean SHOP_CLOSED?)
  errors: ['SHOP_CLOSD'],
  handler: () => ({ status: 204 }),
});

export const unregistered = defineRoute({
  method: 'post',
  path: '/:id/orders',
  operationId: 'unregistered',
  summary: 'A code of a registry that was not registered',
  responses: { 204: { description: 'Done' } },
  // @ts-expect-error strayErrors is not in ErrorRegistries
  errors: ['STRAY_CODE'],
  handler: () => ({ status: 204 }),
});

const anyText: string[] = ['SHOP_CLOSED'];
export const untyped = defineRoute({
  method: 'post',
  path: '/:id/orders',
  operationId: 'untyped',
  summary: 'Codes typed `string` could be anything',
  responses: { 204: { description: 'Done' } },
  // @ts-expect-error a string[] is not a list of registered codes
  errors: anyText,
  handler: () => ({ status: 204 }),
});

export const lowercase = defineRoute({
  method: 'post',
  path: '/:id/orders',
  operationId: 'lowercase',
  summary: 'Codes are case-sensitive',
  responses: { 204: { description: 'Done' } },
  // @ts-expect-error shop_closed is not SHOP_CLOSED
  errors: ['shop_closed'],
  handler: () => ({ status: 204 }),
});

const shops = createRouteGroup({
  basePath: '/api/v1/shops',
  routes: [getShop],
  tag: { name: 'shops', description: 'Shops' },
});

function operation(
  document: object,
  path: string,
  method: string,
): {
  responses: Record<
    string,
    { content: { 'application/json': { examples: Record<string, { value: { code: string } }> } } }
  >;
} {
  const paths = (document as { paths: Record<string, Record<string, ReturnType<typeof operation>>> }).paths;
  return paths[path]![method]!;
}

describe('typed routes and their error codes', () => {
  it('documents the codes a route names, from the registries given to the document', () => {
    const document = createOpenApiDocument({
      title: 'shops',
      version: '1.0.0',
      routeGroups: [shops],
      errorCodes: [shopErrors],
    });
    const responses = operation(document, '/api/v1/shops/{id}', 'get').responses;
    expect(Object.keys(responses['404']!.content['application/json'].examples)).to.include('SHOP_NOT_FOUND');
    expect(Object.keys(responses['503']!.content['application/json'].examples)).to.include('DATABASE_UNAVAILABLE');
  });

  it('still refuses at run time a code no registry given to the document knows (JavaScript services, registries left out)', () => {
    // What a JavaScript service can write: the compiler does not see it.
    const javascript = createRouteGroup({
      basePath: '/api/v1/js',
      routes: [
        defineRoute({
          method: 'get',
          path: '/',
          operationId: 'fromJavaScript',
          summary: 'x',
          responses: { 204: { description: 'x' } },
          handler: () => ({ status: 204 }),
          // @ts-expect-error misspelled, as only JavaScript can leave it
          errors: ['SHOP_CLOSD'],
        }),
      ],
    });
    expect(() =>
      createOpenApiDocument({ title: 'js', version: '1.0.0', routeGroups: [javascript], errorCodes: [shopErrors] }),
    ).to.throw(TypeError, /SHOP_CLOSD/);
    // Registered for the compiler, but its registry not given to the document: refused, by name.
    expect(() => createOpenApiDocument({ title: 'shops', version: '1.0.0', routeGroups: [shops] })).to.throw(
      TypeError,
      /SHOP_NOT_FOUND/,
    );
  });

  it('runs the typed handler with the validated values, and answers what it throws synchronously', async () => {
    const log = captureLogger();
    const app = createServiceApp({
      config: loadConfig({ env: {}, envFile: false }),
      logger: log.logger,
      routes: shops,
    });
    const found = await request(app).get('/api/v1/shops/s1').expect(200);
    expect(found.body).to.deep.equal({ id: 's1', open: true });
    const missing = await request(app).get('/api/v1/shops/s0').expect(404);
    expect(missing.body).to.include({ code: 'SHOP_NOT_FOUND', error: 'NOT_FOUND' });
    const closed = await request(app).get('/api/v1/shops/s9').expect(409);
    expect(closed.body).to.include({ code: 'SHOP_CLOSED', error: 'CONFLICT' });
    const invalid = await request(app).get('/api/v1/shops/x1').expect(422);
    expect(invalid.body).to.include({ code: 'VALIDATION_FAILED' });
  });
});
