import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { createOpenApiDocument, createRouteGroup, defineErrorCodes, defineRoute, joi } from '../../src/index.js';

interface Order {
  readonly id: string;
  readonly sku: string;
}
const order = joi
  .object<Order, true>({ id: joi.string().guid().required(), sku: joi.string().required() })
  .label('Order');
const orderPage = joi.object<{ data: Order[] }, true>({ data: joi.array().items(order).required() });
const orderErrors = defineErrorCodes({
  ORDER_NOT_FOUND: { status: 404, message: 'Order not found', description: 'No such order for the caller.' },
});
declare module '../../src/index.js' {
  interface ErrorRegistries {
    readonly openapiTestOrders: typeof orderErrors;
  }
}
const auth = {
  requireAuth: () => (_req: unknown, _res: unknown, next: () => void) => next(),
  requireRole: () => (_req: unknown, _res: unknown, next: () => void) => next(),
};
const ORDER: Order = { id: '3f0c2a4e-8c1b-4d7e-9a55-0b6a2f1c9e10', sku: 'sku-1' };

const orders = createRouteGroup({
  basePath: '/api/v1/orders',
  auth,
  tag: { name: 'orders', description: 'Orders of the caller.' },
  routes: [
    defineRoute({
      method: 'post',
      path: '/',
      operationId: 'createOrder',
      summary: 'Create an order',
      auth: true,
      request: {
        body: joi.object<{ sku: string }, true>({ sku: joi.string().maxChars(40).required() }),
        bodyExample: { sku: 'sku-1' },
      },
      responses: {
        201: {
          description: 'Created',
          schema: order,
          headers: { Location: { description: 'The new order', required: true, format: 'uri-reference' } },
        },
      },
      handler: () => ({ status: 201, body: ORDER, headers: { Location: `/api/v1/orders/${ORDER.id}` } }),
    }),
    defineRoute({
      method: 'get',
      path: '/',
      operationId: 'listOrders',
      summary: 'List orders',
      auth: true,
      request: {
        query: joi.object<{ limit: number }, true>({ limit: joi.number().integer().min(1).max(100).default(20) }),
      },
      responses: { 200: { description: 'A page', schema: orderPage } },
      handler: () => ({ status: 200, body: { data: [ORDER] } }),
    }),
    defineRoute({
      method: 'get',
      path: '/:id',
      operationId: 'getOrder',
      summary: 'Get an order',
      auth: { roles: ['org:admin'] },
      request: { params: joi.object<{ id: string }, true>({ id: joi.string().guid().required() }) },
      responses: { 200: { description: 'The order', schema: order } },
      errors: ['ORDER_NOT_FOUND'],
      handler: () => ({ status: 200, body: ORDER }),
    }),
  ],
});
const status = createRouteGroup({
  basePath: '/status',
  routes: [
    defineRoute({
      method: 'get',
      path: '/',
      operationId: 'getStatus',
      summary: 'Public status',
      responses: { 204: { description: 'Up' } },
      handler: () => ({ status: 204 }),
    }),
  ],
});

type Operation = {
  operationId: string;
  security: unknown[];
  parameters: unknown[];
  requestBody?: unknown;
  responses: Record<
    string,
    {
      description: string;
      headers?: Record<string, unknown>;
      content?: {
        'application/json': {
          schema: unknown;
          examples?: Record<string, { value: { code: string; error: string; details?: unknown[] } }>;
        };
      };
    }
  >;
};
type Document = {
  info: Record<string, unknown>;
  servers: unknown[];
  tags: unknown[];
  paths: Record<string, Record<string, Operation> & { $ref?: string }>;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, unknown> };
};

function build(extra: Partial<Parameters<typeof createOpenApiDocument>[0]> = {}): Document {
  return createOpenApiDocument({
    title: 'orders-service',
    version: '1.2.3',
    routeGroups: [orders, status],
    schemas: { Order: order },
    errorCodes: [orderErrors],
    license: { name: 'MIT', identifier: 'MIT' },
    ...extra,
  }) as unknown as Document;
}

describe('createOpenApiDocument', () => {
  it('builds a document an OpenAPI 3.1 validator accepts', async () => {
    const result = await new Validator().validate(build());
    expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
    expect(result.valid).to.equal(true);
  });

  it('takes parameters and bodies from the declared schemas, with path params in braces', () => {
    const document = build();
    const get = document.paths['/api/v1/orders/{id}']!.get!;
    expect(get.operationId).to.equal('getOrder');
    expect(get.parameters).to.deep.equal([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
    ]);
    expect(document.paths['/api/v1/orders']!.get!.parameters).to.deep.equal([
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      },
    ]);
    expect(document.paths['/api/v1/orders']!.post!.requestBody).to.deep.equal({
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { sku: { type: 'string', maxLength: 40 } },
            required: ['sku'],
            additionalProperties: false,
          },
          example: { sku: 'sku-1' },
        },
      },
    });
  });

  it('declares every status the pipeline can answer, each with the unified schema and the right code as example', () => {
    const document = build();
    const post = document.paths['/api/v1/orders']!.post!;
    expect(Object.keys(post.responses)).to.deep.equal(['201', '400', '401', '413', '415', '422', '500', '503']);
    const codes = (status: string, operation = post) =>
      Object.keys(operation.responses[status]!.content!['application/json'].examples ?? {});
    expect(codes('400')).to.deep.equal(['INVALID_JSON', 'BAD_REQUEST']);
    expect(codes('401')).to.deep.equal(['AUTH_MISSING_TOKEN', 'AUTH_EXPIRED_TOKEN', 'AUTH_INVALID_TOKEN']);
    expect(codes('413')).to.deep.equal(['PAYLOAD_TOO_LARGE']);
    expect(codes('415')).to.deep.equal(['UNSUPPORTED_MEDIA_TYPE']);
    expect(codes('503')).to.deep.equal(['OVERLOADED', 'AUTH_UNAVAILABLE']);
    for (const [status, response] of Object.entries(post.responses).filter(([status]) => status !== '201')) {
      expect(response.content!['application/json'].schema, status).to.deep.equal({
        $ref: '#/components/schemas/Error',
      });
      for (const example of Object.values(response.content!['application/json'].examples!))
        expect(example.value.error, status).to.not.equal('NOT_FOUND');
    }
    // The 422 example is what the route's own validator answers to an empty body.
    expect(
      post.responses['422']!.content!['application/json'].examples!.VALIDATION_FAILED!.value.details,
    ).to.deep.equal([{ field: 'sku', message: 'sku is required', type: 'missing' }]);
    expect(post.responses['401']!.headers).to.have.property('WWW-Authenticate');
    expect(post.responses['201']!.headers).to.deep.equal({
      Location: { description: 'The new order', required: true, schema: { type: 'string', format: 'uri-reference' } },
    });

    const get = document.paths['/api/v1/orders/{id}']!.get!;
    expect(Object.keys(get.responses)).to.deep.equal(['200', '400', '401', '403', '404', '413', '422', '500', '503']);
    expect(codes('404', get)).to.deep.equal(['ORDER_NOT_FOUND']);
    expect(codes('403', get)).to.deep.equal(['FORBIDDEN']);
    expect(Object.keys(document.paths['/status']!.get!.responses)).to.deep.equal(['204', '400', '413', '500', '503']);
  });

  it('accepts a bearer token or the __session cookie on authenticated routes, and says public routes need nothing', () => {
    const document = build();
    expect(document.paths['/api/v1/orders']!.post!.security).to.deep.equal([{ bearerAuth: [] }, { sessionCookie: [] }]);
    expect(document.paths['/status']!.get!.security).to.deep.equal([]);
    expect(document.components.securitySchemes).to.have.keys('bearerAuth', 'sessionCookie');
    expect(document.components.securitySchemes.sessionCookie).to.deep.include({
      type: 'apiKey',
      in: 'cookie',
      name: '__session',
    });
  });

  it('refers to named schemas wherever they appear, and lists the trailing-slash root of a group', () => {
    const document = build();
    expect(document.paths['/api/v1/orders']!.get!.responses['200']!.content!['application/json'].schema).to.deep.equal({
      type: 'object',
      properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Order' } } },
      required: ['data'],
      additionalProperties: false,
    });
    expect(document.paths['/api/v1/orders/']).to.deep.equal({ $ref: '#/paths/~1api~1v1~1orders' });
    expect(document.paths['/status/']).to.deep.equal({ $ref: '#/paths/~1status' });
    expect(document.components.schemas).to.have.keys('Error', 'Order');
  });

  it('lists servers from configuration (default: the origin serving the document), the license and the tags', () => {
    expect(build().servers).to.deep.equal([{ url: '/' }]);
    expect(build({ servers: ['https://api.example.com/', 'https://eu.example.com/orders'] }).servers).to.deep.equal([
      { url: 'https://api.example.com' },
      { url: 'https://eu.example.com/orders' },
    ]);
    expect(build().info).to.deep.equal({
      title: 'orders-service',
      version: '1.2.3',
      license: { name: 'MIT', identifier: 'MIT' },
    });
    expect(build().tags).to.deep.equal([{ name: 'orders', description: 'Orders of the caller.' }]);
  });

  it('refuses an error code no registry knows and an operationId used twice', () => {
    const stray = createRouteGroup({
      basePath: '/x',
      routes: [
        defineRoute({
          method: 'get',
          path: '/',
          operationId: 'getStatus',
          summary: 'x',
          responses: { 204: { description: 'x' } },
          handler: () => ({ status: 204 }),
          // @ts-expect-error a code of no registry: the compiler refuses it, the document too (for JavaScript services)
          errors: ['NOPE'],
        }),
      ],
    });
    expect(() => createOpenApiDocument({ title: 't', version: '1', routeGroups: [stray] })).to.throw(TypeError, /NOPE/);
    expect(() => build({ routeGroups: [status, status] })).to.throw(TypeError, /getStatus/);
  });
});
