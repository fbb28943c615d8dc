import { createError, type Logger, type ServiceError } from '@org/platform';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Entity, EntityChanges, EntityPage, NewEntity, PageRequest } from './entity.js';
import { entityErrors, type EntityErrorCode } from './errors.js';
import { isEntityStoreUnavailable, type EntityRepository } from './repository.js';

/** Which page of the listing to read: from `offset` (default 0), or from a `cursor` a previous page handed out. */
export interface ListRequest {
  readonly limit: number;
  readonly offset?: number | undefined;
  readonly cursor?: string | undefined;
}

/** The entity use cases, for one owner at a time. No Express types: routes translate. */
export interface EntityService {
  create(ownerId: string, entity: NewEntity): Promise<Entity>;
  /** A cursor that is not one of this owner's listing → 422 (`field: cursor`). */
  list(ownerId: string, request: ListRequest): Promise<EntityPage>;
  get(ownerId: string, id: string): Promise<Entity>;
  /** An empty `changes` writes nothing and returns the entity as it is. */
  update(ownerId: string, id: string, changes: EntityChanges): Promise<Entity>;
  delete(ownerId: string, id: string): Promise<void>;
}

/** Options of {@link createEntityService}. */
export interface EntityServiceOptions {
  readonly repository: EntityRepository;
  readonly logger: Logger;
}

/**
 * The entity service: calls the repository for the caller's own rows and turns store failures
 * into the contract's errors (unreachable → 503 DATABASE_UNAVAILABLE, anything else → 500
 * ENTITY_<OP>_FAILED; the cause goes to the log through the error handler, never to the client).
 *
 * @example
 * const entities = createEntityService({ repository, logger });
 * const entity = await entities.create(principal.userId, { title: 'First', description: null });
 */
export function createEntityService(options: EntityServiceOptions): EntityService {
  const { repository, logger } = options;

  // One promise chain, no async frame of its own: this runs on every request.
  function attempt<T>(failure: EntityErrorCode, work: () => Promise<T>): Promise<T> {
    return work().catch((error: unknown) => {
      throw toFailure(failure, error);
    });
  }

  function toFailure(failure: EntityErrorCode, error: unknown): ServiceError {
    if (isEntityStoreUnavailable(error)) return createError('DATABASE_UNAVAILABLE', { cause: error });
    return entityErrors.create(failure, { cause: error });
  }

  function pageRequest(ownerId: string, request: ListRequest): PageRequest {
    if (request.cursor === undefined) return { limit: request.limit, offset: request.offset ?? 0 };
    const after = decodeCursor(ownerId, request.cursor);
    if (after === undefined) {
      throw createError('VALIDATION_FAILED', { details: [{ field: 'cursor', message: 'cursor is not one that this listing handed out', type: 'cursor_invalid' }] });
    }
    return { limit: request.limit, after };
  }

  function found(entity: Entity | undefined): Entity {
    if (entity === undefined) throw entityErrors.create('ENTITY_NOT_FOUND');
    return entity;
  }

  return {
    async create(ownerId, entity) {
      const created = await attempt('ENTITY_CREATE_FAILED', () => repository.create(ownerId, entity));
      logger.info('entity_created', { entity_id: created.id });
      return created;
    },
    async list(ownerId, request) {
      const page = pageRequest(ownerId, request);
      const { data, count, next } = await attempt('ENTITY_LIST_FAILED', () => repository.list(ownerId, page));
      return { data, count, next_cursor: next === null ? null : encodeCursor(ownerId, next) };
    },
    async get(ownerId, id) {
      return found(await attempt('ENTITY_GET_FAILED', () => repository.get(ownerId, id)));
    },
    async update(ownerId, id, changes) {
      if (Object.keys(changes).length === 0) return found(await attempt('ENTITY_GET_FAILED', () => repository.get(ownerId, id)));
      const updated = found(await attempt('ENTITY_UPDATE_FAILED', () => repository.update(ownerId, id, changes)));
      logger.info('entity_updated', { entity_id: id, fields: Object.keys(changes) });
      return updated;
    },
    async delete(ownerId, id) {
      if (!(await attempt('ENTITY_DELETE_FAILED', () => repository.delete(ownerId, id)))) throw entityErrors.create('ENTITY_NOT_FOUND');
      logger.info('entity_deleted', { entity_id: id });
    },
  };
}
