import { EntityStoreUnavailableError, type EntityRepository } from './repository.js';

/** A repository that exists before its store is open, and the way to attach the store. */
export interface PendingRepository {
  readonly repository: EntityRepository;
  /** Routes every call to `repository` from now on. */
  attach(repository: EntityRepository): void;
}

/**
 * Lets the service listen (and answer `/healthz`) before its store is open: opening PGlite takes
 * seconds, and orchestrators should see the process alive meanwhile. Until `attach`, every call
 * fails as unavailable (503 `DATABASE_UNAVAILABLE`); readiness stays 503 until the startup hook
 * that opens the store has finished, so load balancers send no traffic before.
 *
 * @example
 * const pending = createPendingRepository();
 * lifecycle.addStartupHook('entity_store', async () => pending.attach((await openEntityStore(choice, { logger })).repository));
 */
export function createPendingRepository(): PendingRepository {
  let current: EntityRepository | undefined;
  const target = (): EntityRepository => {
    if (current === undefined) throw new EntityStoreUnavailableError('the entity store is still opening');
    return current;
  };
  return {
    repository: {
      create: async (ownerId, entity) => target().create(ownerId, entity),
      list: async (ownerId, page) => target().list(ownerId, page),
      get: async (ownerId, id) => target().get(ownerId, id),
      update: async (ownerId, id, changes) => target().update(ownerId, id, changes),
      delete: async (ownerId, id) => target().delete(ownerId, id),
      ping: async () => target().ping(),
    },
    attach(repository) {
      current = repository;
    },
  };
}
