import { createRouteGroup, defineRoute, entityTag, type Auth, type Idempotency, type RouteGroup } from '@org/platform';
import {
  createEntityBody,
  entityIdParams,
  entityPageSchema,
  entitySchema,
  listEntitiesQuery,
  updateEntityBody,
} from './schema.js';
import type { EntityService } from './service.js';

/** Options of {@link createEntityRoutes}. */
export interface EntityRoutesOptions {
  readonly service: EntityService;
  /** Authentication (the platform's `createAuth()`): every entity route needs a session token, checked before validation. */
  readonly auth: Pick<Auth, 'requireAuth' | 'requireRole'>;
  /** Idempotency keys of the create route (`createIdempotency` over the entity store's records). */
  readonly idempotency: Idempotency;
  /** Where the routes are mounted, for `Location` and the OpenAPI paths. @default '/api/v1/entities' */
  readonly basePath?: string;
}

/** The strong `ETag` of an entity at a version: the version in quotes, `"3"`. */
function tagOf(version: number): string {
  return entityTag(String(version));
}

const EXAMPLE_ID = '3f0c2a4e-8c1b-4d7e-9a55-0b6a2f1c9e10';
const EXAMPLE_ENTITY = {
  id: EXAMPLE_ID,
  title: 'Quarterly report',
  description: 'Figures for Q3, due Friday.',
  owner_id: 'user_2NNEqL2nrIRdJ194ndJqAHwEfxC',
  created_at: '2026-11-26T14:00:00.123Z',
  updated_at: '2026-11-26T14:05:00.456Z',
};
const unavailable = 'DATABASE_UNAVAILABLE';
const ETAG = {
  description:
    "The entity's strong tag, changed by every write: send it as `If-Match` to change it only if nobody has since, or as `If-None-Match` to read it only if it changed.",
  required: true,
} as const;

/**
 * The five entity routes, each declared once: auth, then validation, then the service. Both
 * `/api/v1/entities` and `/api/v1/entities/` answer.
 *
 * @example
 * const entities = createEntityRoutes({ service, auth });
 * createServiceApp({ config, logger, routes: entities });
 */
export function createEntityRoutes(options: EntityRoutesOptions): RouteGroup {
  const { service } = options;
  const basePath = options.basePath ?? '/api/v1/entities';
  const found = {
    200: { description: 'The entity', schema: entitySchema, example: EXAMPLE_ENTITY, headers: { ETag: ETAG } },
  };
  const routes = [
    defineRoute({
      method: 'post',
      path: '/',
      operationId: 'createEntity',
      summary: 'Create an entity owned by the caller',
      description: 'With an `Idempotency-Key`, a retried create takes effect once: repeats get the first answer again.',
      auth: true,
      idempotencyKey: 'optional',
      request: {
        body: createEntityBody,
        bodyExample: { title: 'Quarterly report', description: 'Figures for Q3, due Friday.' },
      },
      responses: {
        201: {
          description: 'Created',
          schema: entitySchema,
          example: EXAMPLE_ENTITY,
          headers: {
            Location: {
              description: 'The new entity: `/api/v1/entities/{id}`.',
              required: true,
              format: 'uri-reference',
            },
            ETag: ETAG,
          },
        },
      },
      errors: ['ENTITY_CREATE_FAILED', unavailable],
      handler: async ({ body, principal }) => {
        const { entity, version } = await service.create(principal.userId, {
          title: body.title,
          description: body.description ?? null,
        });
        return { status: 201, body: entity, headers: { Location: `${basePath}/${entity.id}`, ETag: tagOf(version) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/',
      operationId: 'listEntities',
      summary: "List the caller's entities, newest first",
      description:
        "Pages by `offset`, or by `cursor` (keyset: pass the previous page's `next_cursor`; the cost does not grow with depth). Not both.",
      auth: true,
      request: { query: listEntitiesQuery },
      responses: {
        200: {
          description: 'A page, the total count and the next cursor',
          schema: entityPageSchema,
          example: { data: [EXAMPLE_ENTITY], count: 1, next_cursor: null },
        },
      },
      errors: ['ENTITY_LIST_FAILED', unavailable],
      handler: async ({ query, principal }) => ({ status: 200, body: await service.list(principal.userId, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/:id',
      operationId: 'getEntity',
      summary: "Get one of the caller's entities",
      auth: true,
      preconditions: { ifNoneMatch: true },
      request: { params: entityIdParams },
      responses: found,
      errors: ['ENTITY_NOT_FOUND', 'ENTITY_GET_FAILED', unavailable],
      handler: async ({ params, principal }) => {
        const { entity, version } = await service.get(principal.userId, params.id);
        return { status: 200, body: entity, headers: { ETag: tagOf(version) } };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/:id',
      operationId: 'updateEntity',
      summary: 'Change the sent fields of an entity',
      description:
        'Only the keys sent change; `description: null` clears it; `{}` changes nothing. With `If-Match`, only if the entity is still at that tag.',
      auth: true,
      preconditions: { ifMatch: true },
      request: { params: entityIdParams, body: updateEntityBody, bodyExample: { description: null } },
      responses: { 200: { ...found[200], description: 'The updated entity' } },
      errors: ['ENTITY_NOT_FOUND', 'ENTITY_GET_FAILED', 'ENTITY_UPDATE_FAILED', unavailable],
      handler: async ({ params, body, principal, ifMatch }) => {
        const { entity, version } = await service.update(principal.userId, params.id, body, ifMatch);
        return { status: 200, body: entity, headers: { ETag: tagOf(version) } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/:id',
      operationId: 'deleteEntity',
      summary: 'Delete an entity',
      description: 'With `If-Match`, only if the entity is still at that tag.',
      auth: true,
      preconditions: { ifMatch: true },
      request: { params: entityIdParams },
      responses: { 204: { description: 'Deleted' } },
      errors: ['ENTITY_NOT_FOUND', 'ENTITY_DELETE_FAILED', unavailable],
      handler: async ({ params, principal, ifMatch }) => {
        await service.delete(principal.userId, params.id, ifMatch);
        return { status: 204 };
      },
    }),
  ];
  return createRouteGroup({
    basePath,
    auth: options.auth,
    idempotency: options.idempotency,
    routes,
    tag: { name: 'entities', description: "The caller's own entities: each caller sees and changes only theirs." },
  });
}
