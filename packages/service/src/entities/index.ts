export { ENTITY_COLUMNS, toEntity, type Entity, type EntityChanges, type EntityPage, type NewEntity, type PageRequest } from './entity.js';
export { entityErrors, type EntityErrorCode } from './errors.js';
export { EntityStoreUnavailableError, isEntityStoreUnavailable, type EntityRepository } from './repository.js';
export { createPendingRepository, type PendingRepository } from './pending-repository.js';
export { createEntityRoutes, type EntityRoutes, type EntityRoutesOptions } from './routes.js';
export { createEntityBody, entityIdParams, entityPageSchema, entitySchema, listEntitiesQuery, updateEntityBody } from './schema.js';
export { createEntityService, type EntityService, type EntityServiceOptions } from './service.js';
export { createSqlEntityRepository } from './sql-repository.js';
export { createSupabaseEntityRepository, SupabaseQueryError } from './supabase-repository.js';
