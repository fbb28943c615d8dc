import { AsyncLocalStorage } from 'node:async_hooks';
import type { QueryOptions, SqlClient, SqlQueryable } from './sql-client.js';

/** A {@link SqlClient} whose statements join the transaction opened around them, if any. */
export interface AmbientSqlClient extends SqlClient {
  /**
   * Runs `work` in one transaction that every statement of this client made meanwhile, in
   * `work`'s async flow, joins (the repository's included, which knows nothing of it): commit
   * when `work` resolves, rollback when it throws.
   */
  withTransaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
}

/**
 * Wraps `db` so that a unit of work (the idempotency store's) can put the repository's writes in
 * its own transaction without handing a connection through the service's layers. Outside such a
 * unit a statement runs on `db` as before, at the cost of one AsyncLocalStorage read.
 *
 * @example
 * const db = withAmbientTransactions(await createPgliteClient());
 * const repository = createSqlEntityRepository(db);
 * await db.withTransaction(async () => repository.create('user_1', { title: 'x', description: null })); // in the transaction
 */
export function withAmbientTransactions(db: SqlClient): AmbientSqlClient {
  const current = new AsyncLocalStorage<SqlQueryable>();
  return {
    kind: db.kind,
    query<R extends object>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<R[]> {
      return (current.getStore() ?? db).query<R>(text, params, options);
    },
    exec(script: string): Promise<void> {
      return (current.getStore() ?? db).exec(script);
    },
    // A transaction of its own, never nested in the ambient one (the migrations run outside any).
    transaction: (work) => db.transaction(work),
    withTransaction: (work) => db.transaction((tx) => current.run(tx, () => work(tx))),
    close: () => db.close(),
  };
}
