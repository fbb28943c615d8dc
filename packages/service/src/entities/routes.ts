import { Router, type Request, type RequestHandler, type Response } from 'express';
import { validate, type RouteDescription } from '@org/platform';
import type { EntityChanges } from './entity.js';
import { createEntityBody, entityIdParams, entityPageSchema, entitySchema, listEntitiesQuery, updateEntityBody } from './schema.js';
import type { EntityService } from './service.js';

/** Options of {@link createEntityRoutes}. */
export interface EntityRoutesOptions {
  readonly service: EntityService;
  /** Rejects unauthenticated requests (401) before validation runs: the platform's `requireAuth()`. */
  readonly authenticate: RequestHandler;
  /** The authenticated caller's user id (the token's `sub`), read after `authenticate` ran. */
  readonly ownerOf: (req: Request) => string;
  /** Where the router is mounted, for `Location` and the OpenAPI paths. @default '/api/v1/entities' */
  readonly basePath?: string;
}

/** The router and the OpenAPI descriptions of its routes (built from the same validators). */
export interface EntityRoutes {
  readonly basePath: string;
  readonly router: Router;
  readonly descriptions: readonly RouteDescription[];
}

/**
 * The five entity routes. Both `/api/v1/entities` and `/api/v1/entities/` answer (the router is
 * not strict about a trailing slash). Auth runs first, then validation, then the service.
 *
 * @example
 * const entities = createEntityRoutes({ service, authenticate: requireAuth(), ownerOf: (req) => getPrincipal(req).userId });
 * app.use(entities.basePath, entities.router);
 */
export function createEntityRoutes(options: EntityRoutesOptions): EntityRoutes {
  const { service, authenticate, ownerOf } = options;
  const basePath = options.basePath ?? '/api/v1/entities';
  const createValidator = validate({ body: createEntityBody });
  const listValidator = validate({ query: listEntitiesQuery });
  const getValidator = validate({ params: entityIdParams });
  const updateValidator = validate({ params: entityIdParams, body: updateEntityBody });
  const deleteValidator = validate({ params: entityIdParams });

  const router = Router({ strict: false });
  router.post('/', authenticate, createValidator, async function createEntity(req: Request, res: Response) {
    const { body } = createValidator.values(req) as { body: { title: string; description?: string | null } };
    const entity = await service.create(ownerOf(req), { title: body.title, description: body.description ?? null });
    res.status(201).location(`${basePath}/${entity.id}`).json(entity);
  });
  router.get('/', authenticate, listValidator, async function listEntities(req: Request, res: Response) {
    const { query } = listValidator.values(req) as { query: { offset: number; limit: number } };
    res.json(await service.list(ownerOf(req), query));
  });
  router.get('/:id', authenticate, getValidator, async function getEntity(req: Request, res: Response) {
    const { params } = getValidator.values(req) as { params: { id: string } };
    res.json(await service.get(ownerOf(req), params.id));
  });
  router.patch('/:id', authenticate, updateValidator, async function updateEntity(req: Request, res: Response) {
    const { params, body } = updateValidator.values(req) as { params: { id: string }; body: EntityChanges };
    res.json(await service.update(ownerOf(req), params.id, body));
  });
  router.delete('/:id', authenticate, deleteValidator, async function deleteEntity(req: Request, res: Response) {
    const { params } = deleteValidator.values(req) as { params: { id: string } };
    await service.delete(ownerOf(req), params.id);
    res.status(204).end();
  });

  const notFound = { 404: 'ENTITY_NOT_FOUND: no such entity for the caller.' };
  const unavailable = { 503: 'DATABASE_UNAVAILABLE: the database cannot be reached.' };
  const tags = ['entities'];
  const descriptions: RouteDescription[] = [
    { method: 'post', path: basePath, operationId: 'createEntity', summary: 'Create an entity owned by the caller', tags, auth: true, validation: createValidator, responses: { 201: { description: 'Created', schema: entitySchema, headers: { Location: 'The new entity URL.' } } }, errors: unavailable },
    { method: 'get', path: basePath, operationId: 'listEntities', summary: "List the caller's entities, newest first", tags, auth: true, validation: listValidator, responses: { 200: { description: 'A page and the total count', schema: entityPageSchema } }, errors: unavailable },
    { method: 'get', path: `${basePath}/:id`, operationId: 'getEntity', summary: 'Get one of the caller’s entities', tags, auth: true, validation: getValidator, responses: { 200: { description: 'The entity', schema: entitySchema } }, errors: { ...notFound, ...unavailable } },
    { method: 'patch', path: `${basePath}/:id`, operationId: 'updateEntity', summary: 'Change the sent fields of an entity', tags, auth: true, validation: updateValidator, responses: { 200: { description: 'The updated entity', schema: entitySchema } }, errors: { ...notFound, ...unavailable } },
    { method: 'delete', path: `${basePath}/:id`, operationId: 'deleteEntity', summary: 'Delete an entity', tags, auth: true, validation: deleteValidator, responses: { 204: { description: 'Deleted' } }, errors: { ...notFound, ...unavailable } },
  ];
  return { basePath, router, descriptions };
}
