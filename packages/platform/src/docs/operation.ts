import type Joi from 'joi';
import type { ErrorDetail } from '../errors/service-error.js';
import type { ResponseHeader, RouteAuth, RouteMethod, RouteResponses } from '../routes/define-route.js';
import { createRequestValidator } from '../validation/request-validator.js';
import { isServiceError } from '../errors/service-error.js';
import { errorResponses, type ErrorCatalog } from './error-responses.js';
import type { JsonSchema } from './json-schema.js';

/** One operation as the document shows it, whether declared with defineRoute() or described. @internal */
export interface DocumentedRoute {
  readonly method: RouteMethod;
  /** Express-style full path: `/api/v1/orders/:id`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string | undefined;
  readonly tags: readonly string[];
  readonly auth: RouteAuth;
  readonly request: { readonly params?: Joi.Schema | undefined; readonly query?: Joi.Schema | undefined; readonly body?: Joi.Schema | undefined; readonly bodyExample?: unknown };
  readonly responses: RouteResponses;
  readonly codes: readonly string[];
  readonly described?: Readonly<Record<number, string>>;
}

/** What converting an operation needs from the document. @internal */
export interface OperationContext {
  readonly catalog: ErrorCatalog;
  readonly convert: (schema: Joi.Schema) => JsonSchema;
}

/** Session auth is either scheme: a bearer token or Clerk's `__session` cookie. @internal */
export const SESSION_SECURITY = [{ bearerAuth: [] }, { sessionCookie: [] }] as const;

/** `/api/v1/orders/:id` → `/api/v1/orders/{id}`. @internal */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(route: DocumentedRoute, convert: OperationContext['convert']): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [part, location] of [['params', 'path'], ['query', 'query']] as const) {
    const schema = route.request[part];
    if (schema === undefined) continue;
    const object = convert(schema) as { properties?: Record<string, JsonSchema & { description?: string }>; required?: string[] };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      const { description, ...rest } = property;
      out.push({ name, in: location, required: location === 'path' || (object.required ?? []).includes(name), ...(description === undefined ? {} : { description }), schema: rest });
    }
  }
  return out;
}

// A real failure of the route's own validator, for the 422 example: what an empty body, an
// unknown body key, or a bad value in every parameter gets.
function validationExample(route: DocumentedRoute): readonly ErrorDetail[] | undefined {
  const everyKey = (schema: Joi.Schema | undefined): Record<string, string> => Object.fromEntries(Object.keys((schema?.describe() as { keys?: object } | undefined)?.keys ?? {}).map((key) => [key, 'not-valid']));
  const { params, query, body } = route.request;
  const attempts: [Joi.Schema | undefined, 'params' | 'query' | 'body', unknown][] = [
    [body, 'body', {}],
    [body, 'body', { unexpected_field: true }],
    [params, 'params', everyKey(params)],
    [query, 'query', everyKey(query)],
  ];
  for (const [schema, part, value] of attempts) {
    if (schema === undefined) continue;
    const outcome = createRequestValidator({ [part]: schema })({ [part]: value } as never);
    if (isServiceError(outcome) && outcome.details !== undefined && outcome.details.length > 0) return outcome.details.slice(0, 1);
  }
  return undefined;
}

function header(declared: ResponseHeader): JsonSchema {
  return { description: declared.description, ...(declared.required === true ? { required: true } : {}), schema: { type: 'string', ...(declared.format === undefined ? {} : { format: declared.format }) } };
}

/** The OpenAPI operation object of one route. @internal */
export function toOperation(route: DocumentedRoute, context: OperationContext): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const content = response.schema === undefined ? undefined : { schema: context.convert(response.schema), ...(response.example === undefined ? {} : { example: response.example }) };
    responses[status] = {
      description: response.description,
      ...(response.headers === undefined ? {} : { headers: Object.fromEntries(Object.entries(response.headers).map(([name, declared]) => [name, header(declared)])) }),
      ...(content === undefined ? {} : { content: { 'application/json': content } }),
    };
  }
  const { body, bodyExample } = route.request;
  Object.assign(
    responses,
    errorResponses(
      {
        method: route.method,
        hasBody: body !== undefined,
        authenticated: route.auth !== false,
        roles: typeof route.auth === 'object',
        validates: route.request.params !== undefined || route.request.query !== undefined || body !== undefined,
        codes: route.codes,
        validationExample: validationExample(route),
        ...(route.described === undefined ? {} : { described: route.described }),
      },
      context.catalog,
    ),
  );
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    ...(route.tags.length === 0 ? {} : { tags: [...route.tags] }),
    security: route.auth === false ? [] : SESSION_SECURITY,
    parameters: parameters(route, context.convert),
    ...(body === undefined ? {} : { requestBody: { required: true, content: { 'application/json': { schema: context.convert(body), ...(bodyExample === undefined ? {} : { example: bodyExample }) } } } }),
    responses,
  };
}
