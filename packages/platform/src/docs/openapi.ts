import type Joi from 'joi';
import type { ErrorCodeRegistry } from '../errors/codes.js';
import type { RouteGroup, RouteTag } from '../routes/route-group.js';
import { ERROR_BODY, errorCatalog } from './error-responses.js';
import { namedSchemas } from './json-schema.js';
import { openApiPath, toOperation, type DocumentedRoute } from './operation.js';

/** The license the API is offered under (`info.license`). */
export interface OpenApiLicense {
  /** `MIT`, `Apache 2.0`, `Proprietary`. */
  readonly name: string;
  /** SPDX identifier (`MIT`); give this or `url`. */
  readonly identifier?: string;
  readonly url?: string;
}

/** Options of {@link createOpenApiDocument}. */
export interface OpenApiDocumentOptions {
  readonly title: string;
  readonly version: string;
  /** @default none */
  readonly description?: string;
  /** The declared routes, by group ({@link createRouteGroup}): the document's paths. @default [] */
  readonly routeGroups?: readonly RouteGroup[];
  /** Named schemas in `components.schemas`; wherever one appears (a response, a page's items) the document refers to it. @default {} */
  readonly schemas?: Readonly<Record<string, Joi.Schema>>;
  /** The service's error-code registries (the platform's is always included): routes name their codes, the document shows their status and an example. @default [] */
  readonly errorCodes?: readonly ErrorCodeRegistry<string>[];
  /** Base URLs of the API (`https://api.example.com`), as `DOCS_SERVER_URLS` gives them. @default ['/'] (the origin serving the document) */
  readonly servers?: readonly string[];
  /** `info.license`. @default none */
  readonly license?: OpenApiLicense;
}

/** An OpenAPI 3.1 document as a plain JSON object. */
export type OpenApiDocument = { readonly openapi: '3.1.0' } & Readonly<Record<string, unknown>>;

function fromGroup(group: RouteGroup): DocumentedRoute[] {
  return group.routes.map((route) => ({
    method: route.method,
    path: route.path === '/' ? group.basePath : `${group.basePath}${route.path}`,
    operationId: route.operationId,
    summary: route.summary,
    description: route.description,
    tags: group.tag === undefined ? [] : [group.tag.name],
    auth: route.auth,
    request: route.request,
    responses: route.responses,
    codes: route.errors,
    idempotencyKey: route.idempotencyKey,
    preconditions: route.preconditions,
  }));
}

// JSON Pointer escaping of a path key, for a `$ref` into `paths`.
function pointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Builds an OpenAPI 3.1 document that declares every answer of the service: for each declared
 * route ({@link defineRoute}, grouped by {@link createRouteGroup}) its parameters and body from
 * the very Joi schemas that validate them, its success responses (bodies, required headers),
 * and every error status the pipeline or the route can answer (400, 401, 403, 404, 413, 415,
 * 422, 500, 503, ...), each with the unified error schema and one example per code from the
 * error-code registries. Authenticated routes accept a bearer token or the `__session` cookie.
 * A group's root route also answers with a trailing slash (`/api/v1/orders/`): the document lists
 * that path too, so tools do not take it for `/api/v1/orders/{id}`.
 *
 * @example
 * const document = createOpenApiDocument({
 *   title: config.SERVICE_NAME, version: config.SERVICE_VERSION,
 *   routeGroups: [orders], schemas: { Order: orderSchema }, errorCodes: [orderErrors],
 *   servers: config.DOCS_SERVER_URLS, license: { name: 'MIT', identifier: 'MIT' },
 * });
 */
export function createOpenApiDocument(options: OpenApiDocumentOptions): OpenApiDocument {
  const { components: schemas, convert } = namedSchemas(options.schemas ?? {});
  const context = { catalog: errorCatalog(options.errorCodes ?? []), convert };
  const groups = options.routeGroups ?? [];
  const routes = groups.flatMap(fromGroup);

  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  let usesAuth = false;
  for (const route of routes) {
    if (operationIds.has(route.operationId))
      throw new TypeError(`createOpenApiDocument(): operationId ${route.operationId} is used twice`);
    operationIds.add(route.operationId);
    usesAuth ||= route.auth !== false;
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: toOperation(route, context) };
  }
  // Express answers a group's root with a trailing slash too; without its own path, OpenAPI tools
  // would match `/api/v1/orders/` to `/api/v1/orders/{id}` with an empty id.
  for (const group of groups) {
    if (group.routes.some((route) => route.path === '/'))
      paths[`${group.basePath}/`] = { $ref: `#/paths/${pointer(group.basePath)}` };
  }
  const tags = groups
    .flatMap((group) => (group.tag === undefined ? [] : [group.tag]))
    .filter((tag, index, all) => all.findIndex((other) => other.name === tag.name) === index);
  const securitySchemes = {
    bearerAuth: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'A Clerk session token in `Authorization: Bearer <token>`.',
    },
    sessionCookie: {
      type: 'apiKey',
      in: 'cookie',
      name: '__session',
      description: "Clerk's session cookie, read when there is no bearer token.",
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: options.version,
      ...(options.description === undefined ? {} : { description: options.description }),
      ...(options.license === undefined ? {} : { license: { ...options.license } }),
    },
    // A trailing slash would double the one every path starts with.
    servers: (options.servers === undefined || options.servers.length === 0 ? ['/'] : options.servers).map((url) => ({
      url: url.length > 1 ? url.replace(/\/+$/, '') : url,
    })),
    ...(tags.length === 0
      ? {}
      : { tags: tags.map((tag: RouteTag) => ({ name: tag.name, description: tag.description })) }),
    paths,
    components: { schemas: { Error: ERROR_BODY, ...schemas }, ...(usesAuth ? { securitySchemes } : {}) },
  };
}
