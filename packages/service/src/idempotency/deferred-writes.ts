import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The writes of a keyed request, held back until the record of its answer is written, so that
 * both go to the database in one statement (PostgreSQL, PGlite) or one function call (Supabase's
 * `idempotency_complete`): one transaction, whatever happens to the process. The sample service's
 * one idempotent route creates one entity.
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

/**
 * Refuses a write that cannot wait for the record of a keyed request's answer: only a create is
 * deferred to it. Both repositories call it from their update and delete.
 *
 * @example
 * refuseInKeyedRequest('update');
 */
export function refuseInKeyedRequest(operation: string): void {
  if (deferredWrites() !== undefined) throw new Error(`an ${operation} cannot be part of a keyed request: only a create is deferred to the record of its answer`);
}
