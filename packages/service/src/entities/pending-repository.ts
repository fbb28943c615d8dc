import { createError } from '@org/platform';
import { type IdempotencyStore } from '@org/platform/idempotency';
import { EntityStoreUnavailableError, type EntityRepository } from './repository.js';

/** A repository and an idempotency store that exist before their store is open, and the way to attach it. */
export interface PendingRepository {
  readonly repository: EntityRepository;
  /** The store's records of idempotent answers, on the same database. */
  readonly idempotency: IdempotencyStore;
  /** Routes every call to these from now on. */
  attach(store: { readonly repository: EntityRepository; readonly idempotency: IdempotencyStore }): void;
}

/**
 * Lets the service listen (and answer `/healthz`) before its store is open: opening PGlite takes
 * seconds, and orchestrators should see the process alive meanwhile. Until `attach`, every call
 * fails as unavailable (503 `DATABASE_UNAVAILABLE`); readiness stays 503 until the startup hook
 * that opens the store has finished, so load balancers send no traffic before.
 *
 * @example
 * const pending = createPendingRepository();
 * lifecycle.addStartupHook('entity_store', async () => pending.attach(await openEntityStore(choice, { logger })));
 */
export function createPendingRepository(): PendingRepository {
  let current: { readonly repository: EntityRepository; readonly idempotency: IdempotencyStore } | undefined;
  const target = (): NonNullable<typeof current> => {
    if (current === undefined) throw new EntityStoreUnavailableError('the entity store is still opening');
    return current;
  };
  // The idempotency protocol runs outside the entity service, which maps unavailability for the routes.
  const records = (): IdempotencyStore => {
    if (current === undefined)
      throw createError('DATABASE_UNAVAILABLE', {
        cause: new EntityStoreUnavailableError('the entity store is still opening'),
      });
    return current.idempotency;
  };
  return {
    repository: {
      create: async (ownerId, entity) => target().repository.create(ownerId, entity),
      list: async (ownerId, page) => target().repository.list(ownerId, page),
      get: async (ownerId, id) => target().repository.get(ownerId, id),
      update: async (ownerId, id, changes, expected) => target().repository.update(ownerId, id, changes, expected),
      delete: async (ownerId, id, expected) => target().repository.delete(ownerId, id, expected),
      ping: async () => target().repository.ping(),
    },
    idempotency: {
      withKey: async (scope, options, work) => records().withKey(scope, options, work),
      purgeExpired: async (limit) => records().purgeExpired(limit),
    },
    attach(store) {
      current = store;
    },
  };
}
