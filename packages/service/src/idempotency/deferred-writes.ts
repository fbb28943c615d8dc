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
  /** Run once the writes are in the database (the store calls them after the record's commit): log lines that say so. */
  readonly afterCommit: (() => void)[];
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
 * const writes: DeferredWrites = { newEntity: undefined, afterCommit: [] };
 * await deferringWrites(writes, () => handler());
 */
export function deferringWrites<T>(writes: DeferredWrites, work: () => Promise<T>): Promise<T> {
  return current.run(writes, work);
}

/**
 * Runs `done` once the current request's writes are in the database: at once outside a keyed
 * request, after the record's commit inside one (never, if they are not committed).
 *
 * @example
 * whenCommitted(() => logger.info('entity_created', { entity_id: id }));
 */
export function whenCommitted(done: () => void): void {
  const deferred = current.getStore();
  if (deferred === undefined) done();
  else deferred.afterCommit.push(done);
}

/**
 * Refuses a write that cannot wait for the record of a keyed request's answer: only a create is
 * deferred to it. Both repositories call it from their update and delete.
 *
 * @example
 * refuseInKeyedRequest('update');
 */
export function refuseInKeyedRequest(operation: string): void {
  if (deferredWrites() !== undefined)
    throw new Error(
      `an ${operation} cannot be part of a keyed request: only a create is deferred to the record of its answer`,
    );
}
