import { expect } from 'chai';
import { defineRoute, joi } from '../../src/index.js';

interface Order {
  readonly id: string;
  readonly sku: string;
}
const order = joi.object<Order, true>({ id: joi.string().guid().required(), sku: joi.string().required() });
const created = {
  201: {
    description: 'Created',
    schema: order,
    headers: { Location: { description: 'The new order', required: true } },
  },
} as const;

// The compiler is the test here: each `@ts-expect-error` must meet an error (`pnpm run
// typecheck` fails on an unused one), and the rest must compile.
export const typed = defineRoute({
  method: 'post',
  path: '/:shop',
  operationId: 'createOrder',
  summary: 'Create an order',
  auth: true,
  request: {
    params: joi.object<{ shop: string }, true>({ shop: joi.string().required() }),
    body: joi.object<{ sku: string }, true>({ sku: joi.string().required() }),
  },
  responses: { ...created, 204: { description: 'Nothing to create' } },
  handler: ({ params, query, body, principal }) => {
    const values: [string, undefined, string, string] = [params.shop, query, body.sku, principal.userId];
    if (values[2] === '') return { status: 204 };
    return {
      status: 201,
      body: { id: '3f0c2a4e-8c1b-4d7e-9a55-0b6a2f1c9e10', sku: body.sku },
      headers: { Location: '/api/v1/orders/3f0c2a4e-8c1b-4d7e-9a55-0b6a2f1c9e10' },
    };
  },
});

export const untypedBody = defineRoute({
  method: 'post',
  path: '/',
  operationId: 'untypedBody',
  summary: 'A plain joi.object({...}) is `any`: refused',
  // @ts-expect-error the body schema does not say what it validates into
  request: { body: joi.object({ sku: joi.string().required() }) },
  responses: { 204: { description: 'Done' } },
  handler: () => ({ status: 204 }),
});

export const untypedResponse = defineRoute({
  method: 'get',
  path: '/',
  operationId: 'untypedResponse',
  summary: 'An untyped response schema would let any body through: refused',
  // @ts-expect-error the response schema does not say what it describes
  responses: { 200: { description: 'OK', schema: joi.object({ sku: joi.string() }) } },
  handler: () => ({ status: 200, body: { anything: true } }),
});

export const missingLocation = defineRoute({
  method: 'post',
  path: '/',
  operationId: 'missingLocation',
  summary: 'A required header must be sent',
  responses: created,
  // @ts-expect-error Location is required on this 201
  handler: () => ({ status: 201, body: { id: '3f0c2a4e-8c1b-4d7e-9a55-0b6a2f1c9e10', sku: 'a' } }),
});

export const undeclaredStatus = defineRoute({
  method: 'get',
  path: '/',
  operationId: 'undeclaredStatus',
  summary: 'Only declared statuses',
  responses: { 200: { description: 'OK', schema: order } },
  // @ts-expect-error 202 is not declared
  handler: () => ({ status: 202, body: { id: 'x', sku: 'y' } }),
});

export const wrongBody = defineRoute({
  method: 'get',
  path: '/',
  operationId: 'wrongBody',
  summary: 'The body has the schema type',
  responses: { 200: { description: 'OK', schema: order } },
  // @ts-expect-error sku is missing
  handler: () => ({ status: 200, body: { id: 'x' } }),
});

export const publicRoute = defineRoute({
  method: 'get',
  path: '/',
  operationId: 'publicRoute',
  summary: 'No principal on public routes',
  responses: { 204: { description: 'Done' } },
  handler: ({ principal }) => {
    const none: undefined = principal;
    return none === undefined ? { status: 204 } : { status: 204 };
  },
});

describe('defineRoute', () => {
  it('keeps the declaration, frozen, with defaults for auth and errors', () => {
    expect(Object.isFrozen(typed)).to.equal(true);
    expect(typed).to.deep.include({
      method: 'post',
      path: '/:shop',
      operationId: 'createOrder',
      auth: true,
      errors: [],
    });
    expect(publicRoute.auth).to.equal(false);
  });

  it('refuses a path that is not an Express path and a route without responses', () => {
    const declare = (path: string, responses: Record<number, { description: string }>) => () =>
      defineRoute({ method: 'get', path, operationId: 'x', summary: 'x', responses, handler: () => ({ status: 200 }) });
    expect(declare('orders', { 200: { description: 'OK' } })).to.throw(TypeError, /not an Express path/);
    expect(declare('/orders/*', { 200: { description: 'OK' } })).to.throw(TypeError, /not an Express path/);
    expect(declare('/', {})).to.throw(TypeError, /at least one response/);
  });
});
