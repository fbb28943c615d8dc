import type Joi from 'joi';
import { errorCategory } from '../errors/categories.js';
import type { RequestSchemas } from '../validation/validate.js';
import { toJsonSchema, type JsonSchema } from './json-schema.js';

/** HTTP methods a route can be documented under. */
export type RouteMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One documented response of a route. */
export interface RouteResponse {
  readonly description: string;
  /** The body's Joi schema; none for empty bodies (204). */
  readonly schema?: Joi.Schema;
  /** Response headers, by name, with what they carry. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A route as the document shows it. */
export interface RouteDescription {
  readonly method: RouteMethod;
  /** Express-style path: `/api/v1/entities/:id`. */
  readonly path: string;
  readonly summary: string;
  /** Unique operation id. @default method + path words */
  readonly operationId?: string;
  /** @default [] */
  readonly tags?: readonly string[];
  /** The route's `validate()` middleware (or anything with its `.schemas`): the one source of its parameter and body schemas. */
  readonly validation?: { readonly schemas: RequestSchemas };
  /** Whether the route needs a bearer token (adds the 401 response). @default false */
  readonly auth?: boolean;
  /** Success responses by status. */
  readonly responses: Readonly<Record<number, RouteResponse>>;
  /** Error responses by status → what the status means here (the body is always the unified error shape). 422 is added when the route validates. @default {} */
  readonly errors?: Readonly<Record<number, string>>;
}

/** Options of {@link createOpenApiDocument}. */
export interface OpenApiDocumentOptions {
  readonly title: string;
  readonly version: string;
  /** @default '' */
  readonly description?: string;
  readonly routes: readonly RouteDescription[];
  /** Named schemas in `components.schemas`; responses using the same Joi object refer to them. @default {} */
  readonly schemas?: Readonly<Record<string, Joi.Schema>>;
}

/** An OpenAPI 3.1 document as a plain JSON object. */
export type OpenApiDocument = { readonly openapi: '3.1.0' } & Readonly<Record<string, unknown>>;

const ERROR_BODY: JsonSchema = {
  type: 'object',
  description: 'The unified error shape of every error response.',
  required: ['error', 'message', 'code', 'request_id'],
  properties: {
    error: { type: 'string', description: 'Category derived from the status.', examples: ['NOT_FOUND'] },
    message: { type: 'string' },
    code: { type: 'string', description: 'Machine code, UPPER_SNAKE_CASE.', examples: ['ENTITY_NOT_FOUND'] },
    request_id: { type: 'string', format: 'uuid' },
    details: {
      type: 'array',
      description: 'One entry per failed constraint (validation errors only).',
      items: {
        type: 'object',
        required: ['field', 'message', 'type'],
        properties: { field: { type: 'string' }, message: { type: 'string' }, type: { type: 'string' } },
      },
    },
  },
};

const DEFAULT_ERRORS: Readonly<Record<number, string>> = { 401: 'Missing, expired or invalid bearer token.', 422: 'Request validation failed.', 500: 'Unexpected failure.' };

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function defaultOperationId(route: RouteDescription): string {
  const words = route.path.split(/[^A-Za-z0-9]+/).filter((w) => w !== '' && w !== 'api' && !/^v\d+$/.test(w));
  return [route.method, ...words].map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

function parameters(schemas: RequestSchemas): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [part, location] of [['params', 'path'], ['query', 'query']] as const) {
    const schema = schemas[part];
    if (schema === undefined) continue;
    const object = toJsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      out.push({ name, in: location, required: location === 'path' || (object.required ?? []).includes(name), schema: property });
    }
  }
  return out;
}

/**
 * Builds an OpenAPI 3.1 document from route descriptions whose parameter and body schemas are
 * the very Joi schemas their `validate()` middlewares check (no second copy to drift). Every
 * error response uses the unified error shape; authenticated routes get the bearer scheme.
 *
 * @example
 * const createOrder = validate({ body: joi.object({ sku: joi.string().required() }) });
 * const document = createOpenApiDocument({
 *   title: 'orders-service', version: '1.0.0',
 *   routes: [{ method: 'post', path: '/api/v1/orders', summary: 'Create an order', auth: true, validation: createOrder,
 *     responses: { 201: { description: 'Created', schema: orderSchema } } }],
 *   schemas: { Order: orderSchema },
 * });
 */
export function createOpenApiDocument(options: OpenApiDocumentOptions): OpenApiDocument {
  const named = new Map<Joi.Schema, string>(Object.entries(options.schemas ?? {}).map(([name, schema]) => [schema, name]));
  const schemaOrRef = (schema: Joi.Schema): JsonSchema => {
    const name = named.get(schema);
    return name === undefined ? toJsonSchema(schema) : { $ref: `#/components/schemas/${name}` };
  };
  const paths: Record<string, Record<string, unknown>> = {};
  let usesAuth = false;
  for (const route of options.routes) {
    usesAuth ||= route.auth === true;
    const schemas = route.validation?.schemas ?? {};
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.headers === undefined ? {} : { headers: Object.fromEntries(Object.entries(response.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) }),
        ...(response.schema === undefined ? {} : { content: { 'application/json': { schema: schemaOrRef(response.schema) } } }),
      };
    }
    const errors: Record<number, string> = { 500: DEFAULT_ERRORS[500]! };
    if (route.auth === true) errors[401] = DEFAULT_ERRORS[401]!;
    if (route.validation !== undefined) errors[422] = DEFAULT_ERRORS[422]!;
    Object.assign(errors, route.errors);
    for (const [status, description] of Object.entries(errors)) {
      responses[status] = { description: `${errorCategory(Number(status))}: ${description}`, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    const operation = {
      operationId: route.operationId ?? defaultOperationId(route),
      summary: route.summary,
      ...(route.tags === undefined ? {} : { tags: [...route.tags] }),
      ...(route.auth === true ? { security: [{ bearerAuth: [] }] } : {}),
      parameters: parameters(schemas),
      ...(schemas.body === undefined ? {} : { requestBody: { required: true, content: { 'application/json': { schema: schemaOrRef(schemas.body) } } } }),
      responses,
    };
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation };
  }
  const components: Record<string, unknown> = {
    schemas: { Error: ERROR_BODY, ...Object.fromEntries(Object.entries(options.schemas ?? {}).map(([name, schema]) => [name, toJsonSchema(schema)])) },
    ...(usesAuth ? { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Clerk session token.' } } } : {}),
  };
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version, ...(options.description === undefined ? {} : { description: options.description }) },
    paths,
    components,
  };
}
