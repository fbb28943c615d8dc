/** How one statement runs. */
export interface QueryOptions {
  /**
   * Prepares the statement under this name, once per connection: later runs on that connection
   * skip parsing and planning, and send only the parameters. Give it only to a fixed text (one
   * name, one text, for the life of the process). Engines without named statements (PGlite,
   * in-process) ignore it.
   */
  readonly name?: string;
}

/** What a SQL statement needs: parametrised text in, rows out. */
export interface SqlQueryable {
  /** Runs one parametrised statement (`$1`, `$2`, ...) and returns its rows. */
  query<R extends object = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/**
 * The small SQL interface the repository and the migration runner use, served by PGlite
 * (embedded) or by `pg` (a PostgreSQL server). Both return timestamptz as `Date`; cast counts to
 * `int` in SQL, because `pg` returns bigint as a string and PGlite as a number.
 */
export interface SqlClient extends SqlQueryable {
  /** Which engine serves it, for logs and readiness names. */
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction on one connection: commit on success, rollback on error. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /**
   * Runs `work` on one connection of its own, outside any transaction (each statement commits by
   * itself): what the session holds, such as an advisory lock, stays with `work` until it ends.
   * A connection whose work failed is not reused. PGlite has one connection, so there it is that one.
   */
  session<T>(work: (connection: SqlQueryable) => Promise<T>): Promise<T>;
  /** Closes the connection(s); later calls fail as unavailable. Idempotent. */
  close(): Promise<void>;
}
