export {
  ENTITY_COLUMNS,
  toEntity,
  type Entity,
  type EntityChanges,
  type EntityPage,
  type ExpectedVersion,
  type NewEntity,
  type PagePosition,
  type PageRequest,
  type StoredPage,
  type VersionedEntity,
  type WriteRefusal,
} from './entity.js';
export { decodeCursor, encodeCursor } from './cursor.js';
export { positionOf, utcMicros } from './position.js';
export { entityErrors, type EntityErrorCode } from './errors.js';
export { EntityStoreUnavailableError, isEntityStoreUnavailable, type EntityRepository } from './repository.js';
export { createPendingRepository, type PendingRepository } from './pending-repository.js';
export { createEntityRoutes, type EntityRoutesOptions } from './routes.js';
export {
  createEntityBody,
  entityIdParams,
  entityPageSchema,
  entitySchema,
  listEntitiesQuery,
  updateEntityBody,
  type CreateEntityBody,
  type ListEntitiesQuery,
} from './schema.js';
export { createEntityService, type EntityService, type EntityServiceOptions, type ListRequest } from './service.js';
export { createSqlEntityRepository } from './sql-repository.js';
export { createSupabaseEntityRepository, SupabaseQueryError } from './supabase-repository.js';
