import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The writes of a keyed request on Supabase, held back until the record of its answer is
 * written: supabase-js runs each call in a transaction of its own, so the write and the record
 * go to the database together, in one function call (`idempotency_complete`). The sample
 * service's one idempotent route creates one entity.
 */
export interface DeferredWrites {
  /** The row of the entity the request creates (id, timestamps and all, made by the repository). */
  newEntity: Readonly<Record<string, unknown>> | undefined;
}

const current = new AsyncLocalStorage<DeferredWrites>();

/**
 * The deferred writes of the keyed request being served, or `undefined` outside one.
 *
 * @example
 * const unit = deferredWrites();
 * if (unit !== undefined) unit.newEntity = row;
 */
export function deferredWrites(): DeferredWrites | undefined {
  return current.getStore();
}

/**
 * Runs `work` with `writes` as the deferred writes of its async flow.
 *
 * @example
 * const writes: DeferredWrites = { newEntity: undefined };
 * await deferringWrites(writes, () => handler());
 */
export function deferringWrites<T>(writes: DeferredWrites, work: () => Promise<T>): Promise<T> {
  return current.run(writes, work);
}
