import { errorCategory } from '../errors/categories.js';
import { platformErrors, type ErrorCodeDefinition, type ErrorCodeRegistry } from '../errors/codes.js';
import type { ErrorDetail } from '../errors/service-error.js';
import type { JsonSchema } from './json-schema.js';

/** The codes of every registry the document knows, platform first. @internal */
export type ErrorCatalog = ReadonlyMap<string, ErrorCodeDefinition>;

/** @internal */
export function errorCatalog(registries: readonly ErrorCodeRegistry<string>[]): ErrorCatalog {
  const catalog = new Map<string, ErrorCodeDefinition>();
  for (const registry of [platformErrors, ...registries]) {
    for (const [code, definition] of Object.entries<ErrorCodeDefinition>(registry.codes)) catalog.set(code, definition);
  }
  return catalog;
}

/** What the pipeline and the route's declaration say about the errors of one operation. @internal */
export interface ErrorFacts {
  readonly method: string;
  readonly hasBody: boolean;
  readonly authenticated: boolean;
  readonly roles: boolean;
  readonly validates: boolean;
  /** The codes the route declares itself. */
  readonly codes: readonly string[];
  /** A real validation failure of this route, for the 422 example. */
  readonly validationExample: readonly ErrorDetail[] | undefined;
}

const EXAMPLE_REQUEST_ID = '0b6e1f5c-3f7a-4c2e-9d8b-5a4e2c1f7d90';
const BODY_METHODS = new Set(['post', 'put', 'patch']);

/** The schema every error body has: the unified error shape. @internal */
export const ERROR_BODY: JsonSchema = {
  type: 'object',
  description: 'The unified error shape of every error response.',
  required: ['error', 'message', 'code', 'request_id'],
  properties: {
    error: {
      type: 'string',
      description: 'Category derived from the status (`NOT_FOUND` for 404, `VALIDATION_ERROR` for 422, ...).',
    },
    message: { type: 'string', description: 'What went wrong, for people; never internals.' },
    code: {
      type: 'string',
      pattern: '^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$',
      description: 'Machine code, UPPER_SNAKE_CASE, from the error-code registry.',
    },
    request_id: { type: 'string', format: 'uuid', description: 'The `X-Request-ID` of the response.' },
    details: {
      type: 'array',
      description: 'One entry per failed constraint (validation errors only).',
      items: {
        type: 'object',
        required: ['field', 'message', 'type'],
        additionalProperties: false,
        properties: {
          field: {
            type: 'string',
            description: 'Dot path of the value, without the location word (`title`, `limit`, `id`).',
          },
          message: { type: 'string' },
          type: {
            type: 'string',
            description:
              'Stable id of the failed constraint (`missing`, `string_too_long`, `uuid_parsing`, `unknown_field`, ...).',
          },
        },
      },
    },
  },
  additionalProperties: false,
};

const HEADERS: Readonly<Record<number, Record<string, unknown>>> = {
  401: {
    'WWW-Authenticate': {
      description: 'The bearer challenge (`Bearer`, or `Bearer error="invalid_token"`).',
      required: true,
      schema: { type: 'string' },
    },
  },
  409: {
    'Retry-After': {
      description: 'Seconds to wait, sent with `IDEMPOTENCY_KEY_IN_FLIGHT`.',
      schema: { type: 'string' },
    },
  },
  503: { 'Retry-After': { description: 'Seconds to wait, sent with `OVERLOADED`.', schema: { type: 'string' } } },
};

/** Every status and code the pipeline can answer for an operation like this, plus the route's own. */
function codesByStatus(facts: ErrorFacts, catalog: ErrorCatalog): Map<number, string[]> {
  const byStatus = new Map<number, string[]>();
  const add = (code: string): void => {
    const definition = catalog.get(code);
    if (definition === undefined)
      throw new TypeError(`createOpenApiDocument(): error code ${code} is in no registry given as \`errorCodes\``);
    const codes = byStatus.get(definition.status) ?? [];
    if (!codes.includes(code)) codes.push(code);
    byStatus.set(definition.status, codes);
  };
  // Any request may carry a body: the JSON parser runs for every method.
  if (facts.hasBody) add('INVALID_JSON');
  add('BAD_REQUEST');
  if (facts.authenticated) ['AUTH_MISSING_TOKEN', 'AUTH_EXPIRED_TOKEN', 'AUTH_INVALID_TOKEN'].forEach(add);
  if (facts.roles) add('FORBIDDEN');
  add('PAYLOAD_TOO_LARGE');
  if (BODY_METHODS.has(facts.method)) add('UNSUPPORTED_MEDIA_TYPE');
  if (facts.validates) add('VALIDATION_FAILED');
  add('INTERNAL_ERROR');
  add('OVERLOADED');
  if (facts.authenticated) add('AUTH_UNAVAILABLE');
  facts.codes.forEach(add);
  return byStatus;
}

function example(
  code: string,
  definition: ErrorCodeDefinition,
  details: readonly ErrorDetail[] | undefined,
): Record<string, unknown> {
  const value = {
    error: errorCategory(definition.status),
    message: definition.message,
    code,
    request_id: EXAMPLE_REQUEST_ID,
    ...(details === undefined ? {} : { details }),
  };
  return { summary: definition.description, value };
}

/**
 * The error responses of one operation: each status the pipeline or the route can answer, each
 * body the unified error schema, with one example per code from the registries (the right code
 * for the status: `AUTH_MISSING_TOKEN` under 401, `VALIDATION_FAILED` with real details under 422).
 * @internal
 */
export function errorResponses(facts: ErrorFacts, catalog: ErrorCatalog): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  const byStatus = codesByStatus(facts, catalog);
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const codes = byStatus.get(status)!;
    const meaning = codes.map((code) => `\`${code}\`: ${catalog.get(code)!.description}`).join(' ');
    const examples = Object.fromEntries(
      codes.map((code) => [
        code,
        example(code, catalog.get(code)!, code === 'VALIDATION_FAILED' ? (facts.validationExample ?? []) : undefined),
      ]),
    );
    responses[String(status)] = {
      description: `${errorCategory(status)}. ${meaning}`,
      ...(HEADERS[status] === undefined ? {} : { headers: HEADERS[status] }),
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/Error' },
          ...(codes.length === 0 ? {} : { examples }),
        },
      },
    };
  }
  return responses;
}
