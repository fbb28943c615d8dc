import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { createOpenApiDocument, joi, validate } from '../../src/index.js';

const order = joi.object({ id: joi.string().guid().required(), sku: joi.string().required() }).label('Order');
const createOrder = validate({ body: joi.object({ sku: joi.string().maxChars(40).required() }) });
const getOrder = validate({ params: joi.object({ id: joi.string().guid().required() }), query: joi.object({ expand: joi.boolean().default(false) }) });

function build() {
  return createOpenApiDocument({
    title: 'orders-service',
    version: '1.2.3',
    routes: [
      { method: 'post', path: '/api/v1/orders', summary: 'Create an order', auth: true, validation: createOrder, responses: { 201: { description: 'Created', schema: order, headers: { Location: 'The new order' } } } },
      { method: 'get', path: '/api/v1/orders/:id', summary: 'Get an order', auth: true, validation: getOrder, responses: { 200: { description: 'The order', schema: order } }, errors: { 404: 'No such order.' } },
      { method: 'get', path: '/status', summary: 'Public status', responses: { 200: { description: 'OK' } } },
    ],
    schemas: { Order: order },
  });
}

describe('createOpenApiDocument', () => {
  it('builds a document an OpenAPI 3.1 validator accepts', async () => {
    const result = await new Validator().validate(build());
    expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
    expect(result.valid).to.equal(true);
  });

  it('takes parameters and bodies from the validate() middlewares, with path params in braces', () => {
    const document = build() as unknown as { paths: Record<string, Record<string, { parameters: unknown[]; requestBody?: unknown; operationId: string }>> };
    const get = document.paths['/api/v1/orders/{id}']!.get!;
    expect(get.operationId).to.equal('getOrdersId');
    expect(get.parameters).to.deep.equal([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      { name: 'expand', in: 'query', required: false, schema: { type: 'boolean', default: false } },
    ]);
    expect(document.paths['/api/v1/orders']!.post!.requestBody).to.deep.equal({
      required: true,
      content: { 'application/json': { schema: { type: 'object', properties: { sku: { type: 'string', maxLength: 40 } }, required: ['sku'], additionalProperties: false } } },
    });
  });

  it('documents errors in the unified shape, 401 and the bearer scheme only for authenticated routes', () => {
    const document = build() as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }>; security?: unknown }>>; components: Record<string, Record<string, unknown>> };
    const get = document.paths['/api/v1/orders/{id}']!.get!;
    expect(Object.keys(get.responses).sort()).to.deep.equal(['200', '401', '404', '422', '500']);
    expect(get.responses['404']!.content).to.deep.equal({ 'application/json': { schema: { $ref: '#/components/schemas/Error' } } });
    expect(get.security).to.deep.equal([{ bearerAuth: [] }]);
    const status = document.paths['/status']!.get!;
    expect(Object.keys(status.responses).sort()).to.deep.equal(['200', '500']);
    expect(status.security).to.equal(undefined);
    expect(document.components.securitySchemes).to.deep.equal({ bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Clerk session token.' } });
    expect(document.components.schemas).to.have.keys('Error', 'Order');
  });
});
