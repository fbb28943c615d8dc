import type Joi from 'joi';
import type { ErrorDetail } from '../errors/service-error.js';
import type {
  IdempotencyKeyUse,
  ResponseHeader,
  RouteAuth,
  RouteMethod,
  RoutePreconditions,
  RouteResponses,
} from '../routes/define-route.js';
import { createRequestValidator } from '../validation/request-validator.js';
import { isServiceError } from '../errors/service-error.js';
import { errorResponses, type ErrorCatalog } from './error-responses.js';
import type { JsonSchema } from './json-schema.js';

/** One operation as the document shows it, from its defineRoute() declaration. @internal */
export interface DocumentedRoute {
  readonly method: RouteMethod;
  /** Express-style full path: `/api/v1/orders/:id`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string | undefined;
  readonly tags: readonly string[];
  readonly auth: RouteAuth;
  readonly request: {
    readonly params?: Joi.Schema | undefined;
    readonly query?: Joi.Schema | undefined;
    readonly body?: Joi.Schema | undefined;
    readonly bodyExample?: unknown;
  };
  readonly responses: RouteResponses;
  readonly codes: readonly string[];
  readonly idempotencyKey?: IdempotencyKeyUse | undefined;
  readonly preconditions?: RoutePreconditions;
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

const ENTITY_TAGS = { type: 'string', pattern: '^(\\*|(W/)?"[^"]*"(\\s*,\\s*(W/)?"[^"]*")*)$' };

// The request headers of retried and conditional writes (their answers are added below).
function headerParameters(route: DocumentedRoute): JsonSchema[] {
  const out: JsonSchema[] = [];
  if (route.idempotencyKey !== undefined) {
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: route.idempotencyKey === 'required',
      description:
        "Makes a retried request take effect once: 1–255 visible ASCII characters, unique per request (a UUID), belonging to the caller and this route. The first request's answer is recorded with its write; a repeat with the same body gets it again, byte for byte, with `Idempotent-Replayed: true`; another body is 422 `IDEMPOTENCY_KEY_REUSED`; a repeat while the first runs is 409 `IDEMPOTENCY_KEY_IN_FLIGHT`. Kept for `IDEMPOTENCY_TTL_SECONDS` (default 24 h).",
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7E]+$' },
    });
  }
  if (route.preconditions?.ifMatch === true) {
    out.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      description:
        'Write only if the resource is still as read: its `ETag` (strong comparison), or `*` for any existing one. A stale tag is 412 `PRECONDITION_FAILED` and nothing changes.',
      schema: ENTITY_TAGS,
    });
  }
  if (route.preconditions?.ifNoneMatch === true) {
    out.push({
      name: 'If-None-Match',
      in: 'header',
      required: false,
      description: 'The `ETag` already held: when it is still current, the answer is 304 without a body.',
      schema: ENTITY_TAGS,
    });
  }
  return out;
}

function parameters(route: DocumentedRoute, convert: OperationContext['convert']): JsonSchema[] {
  const out: JsonSchema[] = headerParameters(route);
  for (const [part, location] of [
    ['params', 'path'],
    ['query', 'query'],
  ] as const) {
    const schema = route.request[part];
    if (schema === undefined) continue;
    const object = convert(schema) as {
      properties?: Record<string, JsonSchema & { description?: string }>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      const { description, ...rest } = property;
      out.push({
        name,
        in: location,
        required: location === 'path' || (object.required ?? []).includes(name),
        ...(description === undefined ? {} : { description }),
        schema: rest,
      });
    }
  }
  return out;
}

// A real failure of the route's own validator, for the 422 example: what an empty body, an
// unknown body key, or a bad value in every parameter gets.
function validationExample(route: DocumentedRoute): readonly ErrorDetail[] | undefined {
  const everyKey = (schema: Joi.Schema | undefined): Record<string, string> =>
    Object.fromEntries(
      Object.keys((schema?.describe() as { keys?: object } | undefined)?.keys ?? {}).map((key) => [key, 'not-valid']),
    );
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
    if (isServiceError(outcome) && outcome.details !== undefined && outcome.details.length > 0)
      return outcome.details.slice(0, 1);
  }
  return undefined;
}

function header(declared: ResponseHeader): JsonSchema {
  return {
    description: declared.description,
    ...(declared.required === true ? { required: true } : {}),
    schema: { type: 'string', ...(declared.format === undefined ? {} : { format: declared.format }) },
  };
}

// The error codes of retried and conditional writes, from the route's declaration.
function writeSafetyCodes(route: DocumentedRoute): string[] {
  const codes: string[] = [];
  if (route.idempotencyKey !== undefined)
    codes.push(
      'IDEMPOTENCY_KEY_INVALID',
      ...(route.idempotencyKey === 'required' ? ['IDEMPOTENCY_KEY_MISSING'] : []),
      'IDEMPOTENCY_KEY_IN_FLIGHT',
      'IDEMPOTENCY_KEY_REUSED',
    );
  if (route.preconditions?.ifMatch === true) codes.push('PRECONDITION_FAILED');
  return codes;
}

/** The OpenAPI operation object of one route. @internal */
export function toOperation(route: DocumentedRoute, context: OperationContext): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const content =
      response.schema === undefined
        ? undefined
        : {
            schema: context.convert(response.schema),
            ...(response.example === undefined ? {} : { example: response.example }),
          };
    const headers: Record<string, JsonSchema> = Object.fromEntries(
      Object.entries(response.headers ?? {}).map(([name, declared]) => [name, header(declared)]),
    );
    if (route.idempotencyKey !== undefined)
      headers['Idempotent-Replayed'] = {
        description: '`true` when this is the recorded answer of an earlier request with the same `Idempotency-Key`.',
        schema: { type: 'string', enum: ['true'] },
      };
    responses[status] = {
      description: response.description,
      ...(Object.keys(headers).length === 0 ? {} : { headers }),
      ...(content === undefined ? {} : { content: { 'application/json': content } }),
    };
  }
  const etag = Object.entries(route.responses[200]?.headers ?? {}).find(([name]) => name.toLowerCase() === 'etag');
  if (route.preconditions?.ifNoneMatch === true && etag !== undefined) {
    responses['304'] = {
      description: 'Not modified: `If-None-Match` names the current `ETag`. No body.',
      headers: { [etag[0]]: header(etag[1]) },
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
        codes: [...writeSafetyCodes(route), ...route.codes],
        validationExample: validationExample(route),
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
    ...(body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: context.convert(body),
                ...(bodyExample === undefined ? {} : { example: bodyExample }),
              },
            },
          },
        }),
    responses,
  };
}
