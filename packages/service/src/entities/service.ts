import { createError, ifMatchAllows, type IfMatch, type Logger, type ServiceError } from '@org/platform';
import { whenCommitted } from '../idempotency/deferred-writes.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type {
  EntityChanges,
  EntityPage,
  ExpectedVersion,
  NewEntity,
  PageRequest,
  VersionedEntity,
  WriteRefusal,
} from './entity.js';
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
  create(ownerId: string, entity: NewEntity): Promise<VersionedEntity>;
  /** A cursor that is not one of this owner's listing → 422 (`field: cursor`). */
  list(ownerId: string, request: ListRequest): Promise<EntityPage>;
  get(ownerId: string, id: string): Promise<VersionedEntity>;
  /**
   * An empty `changes` writes nothing and returns the entity as it is. With `ifMatch`, an entity
   * that is no longer at a version it names → 412 `PRECONDITION_FAILED`, nothing changed (a
   * missing entity is still 404).
   */
  update(ownerId: string, id: string, changes: EntityChanges, ifMatch?: IfMatch): Promise<VersionedEntity>;
  /** With `ifMatch`, as {@link EntityService.update}. */
  delete(ownerId: string, id: string, ifMatch?: IfMatch): Promise<void>;
}

/**
 * The versions an `If-Match` names. Entity tags are the version in quotes (`"3"`): a tag that is
 * not a version number names none, so it never matches.
 *
 * @example
 * expectedVersion({ any: false, tags: ['3', 'x'] }); // [3]
 */
export function expectedVersion(ifMatch: IfMatch | undefined): ExpectedVersion | undefined {
  if (ifMatch === undefined) return undefined;
  if (ifMatch.any) return 'any';
  return ifMatch.tags.filter((tag) => /^[1-9]\d{0,14}$/.test(tag)).map(Number);
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
      throw createError('VALIDATION_FAILED', {
        details: [
          { field: 'cursor', message: 'cursor is not one that this listing handed out', type: 'cursor_invalid' },
        ],
      });
    }
    return { limit: request.limit, after };
  }

  function found(entity: VersionedEntity | undefined): VersionedEntity {
    if (entity === undefined) throw entityErrors.create('ENTITY_NOT_FOUND');
    return entity;
  }

  // 404 wins over 412: another owner's entity, or a missing one, says nothing about versions.
  function written<T>(outcome: T | WriteRefusal): T {
    if (outcome === 'not_found') throw entityErrors.create('ENTITY_NOT_FOUND');
    if (outcome === 'stale') throw createError('PRECONDITION_FAILED');
    return outcome;
  }

  return {
    async create(ownerId, entity) {
      const created = await attempt('ENTITY_CREATE_FAILED', () => repository.create(ownerId, entity));
      // Inside a keyed request the insert is made with the record of its answer: logged once it is.
      whenCommitted(() => logger.info('entity_created', { entity_id: created.entity.id }));
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
    async update(ownerId, id, changes, ifMatch) {
      if (Object.keys(changes).length === 0) {
        // Nothing is written, so the condition is checked on what was read.
        const current = found(await attempt('ENTITY_GET_FAILED', () => repository.get(ownerId, id)));
        if (!ifMatchAllows(ifMatch, String(current.version))) throw createError('PRECONDITION_FAILED');
        return current;
      }
      const updated = written(
        await attempt('ENTITY_UPDATE_FAILED', () => repository.update(ownerId, id, changes, expectedVersion(ifMatch))),
      );
      logger.info('entity_updated', { entity_id: id, fields: Object.keys(changes), version: updated.version });
      return updated;
    },
    async delete(ownerId, id, ifMatch) {
      written(await attempt('ENTITY_DELETE_FAILED', () => repository.delete(ownerId, id, expectedVersion(ifMatch))));
      logger.info('entity_deleted', { entity_id: id });
    },
  };
}
