import { AsyncResource } from 'node:async_hooks';
import pg from 'pg';
import type { Logger } from '@org/platform';
import { DatabaseDeadlineError, withDeadline } from './deadline.js';
import type { QueryOptions, SqlClient, SqlQueryable } from './sql-client.js';

/** Options of {@link createPgClient}. */
export interface PgClientOptions {
  /** `postgres://user:password@host:port/database`. Never logged. */
  readonly connectionString: string;
  /** Logs connection errors of idle pooled connections (which would otherwise crash the process). */
  readonly logger?: Logger;
  /** Pool size. @default 10 */
  readonly max?: number;
  /**
   * The longest one statement may take, in ms, counted from asking the pool for a connection
   * (waiting for a free one, or connecting) to its last row. Past it the call fails as
   * unavailable and its connection is destroyed, never handed to the next caller: a server that
   * stopped answering (a partition, a frozen host) never replies to it, and its own
   * `statement_timeout`, also set to this, only helps while it still runs. @default 5000
   */
  readonly timeoutMs?: number;
}

/**
 * A {@link SqlClient} over a connection pool to a PostgreSQL server (`pg`), with a client-side
 * deadline on every statement (see {@link PgClientOptions.timeoutMs}).
 *
 * @example
 * const db = createPgClient({ connectionString: config.DATABASE_URL, logger, timeoutMs: config.DATABASE_TIMEOUT_MS });
 * await db.query('select count(*)::int as n from public.entities where owner_id = $1', [userId]);
 */
export function createPgClient(options: PgClientOptions): SqlClient {
  const timeoutMs = options.timeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
  });
  // Bound here, outside any request: the socket that fails was opened while serving some request,
  // and its events would otherwise carry that unrelated request's id into the log line.
  pool.on(
    'error',
    AsyncResource.bind(function onIdleClientError(error: Error) {
      options.logger?.warn('database_connection_error', { error: error.message });
    }),
  );

  /** A pooled connection, within the deadline; one that comes too late goes back to the pool. */
  async function connect(deadline: Promise<never>): Promise<pg.PoolClient> {
    const connecting = pool.connect();
    try {
      return await Promise.race([connecting, deadline]);
    } catch (error) {
      connecting.then(
        (late) => late.release(),
        () => undefined,
      );
      throw error;
    }
  }

  /** Runs one statement on `client` within the deadline; past it the connection is destroyed. */
  async function statement(
    client: pg.PoolClient,
    deadline: Promise<never>,
    text: string,
    params?: readonly unknown[],
    name?: string,
  ): Promise<pg.QueryResult> {
    try {
      // A named statement is parsed once per connection (pg remembers which ones it prepared).
      const running =
        params === undefined
          ? client.query(text)
          : name === undefined
            ? client.query(text, [...params])
            : client.query({ name, text, values: [...params] });
      return await Promise.race([running, deadline]);
    } catch (error) {
      // The server may still be working on it, or never answer: this connection's next reply
      // would belong to this statement. It cannot be reused.
      if (error instanceof DatabaseDeadlineError) client.connection.stream.destroy();
      throw error;
    }
  }

  function onConnection(client: pg.PoolClient, deadline: Promise<never>): SqlQueryable {
    return {
      query<R extends object>(text: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<R[]> {
        return statement(client, deadline, text, params, options?.name).then((result) => result.rows as R[]);
      },
      async exec(script: string): Promise<void> {
        // Without parameters pg uses the simple query protocol, which accepts several statements.
        await statement(client, deadline, script);
      },
    };
  }

  /** One statement on a pooled connection, as `pool.query` would, but bounded by the deadline. */
  function pooled(run: (on: SqlQueryable) => Promise<unknown>): Promise<unknown> {
    return withDeadline(timeoutMs, async (deadline) => {
      const client = await connect(deadline);
      try {
        const result = await run(onConnection(client, deadline));
        client.release();
        return result;
      } catch (error) {
        // As pg's own pool.query does: a connection that saw an error is not reused.
        client.release(error instanceof Error ? error : true);
        throw error;
      }
    });
  }

  let closing: Promise<void> | undefined;
  return {
    kind: 'postgres',
    query<R extends object>(text: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<R[]> {
      return pooled((on) => on.query<R>(text, params, options)) as Promise<R[]>;
    },
    async exec(script: string): Promise<void> {
      await pooled((on) => on.exec(script));
    },
    async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      // Each statement of the transaction gets the deadline of its own (a migration runs several).
      const client = await withDeadline(timeoutMs, connect);
      const tx: SqlQueryable = {
        query: (text, params, options) =>
          withDeadline(timeoutMs, (deadline) => onConnection(client, deadline).query(text, params, options)),
        exec: (script) => withDeadline(timeoutMs, (deadline) => onConnection(client, deadline).exec(script)),
      };
      try {
        await tx.exec('begin');
        const result = await work(tx);
        await tx.exec('commit');
        client.release();
        return result;
      } catch (error) {
        if (!(error instanceof DatabaseDeadlineError)) await tx.exec('rollback').catch(() => undefined);
        client.release(error instanceof Error ? error : true);
        throw error;
      }
    },
    async session<T>(work: (connection: SqlQueryable) => Promise<T>): Promise<T> {
      // Each statement gets the deadline of its own; the connection is held for as long as `work` runs.
      const client = await withDeadline(timeoutMs, connect);
      const connection: SqlQueryable = {
        query: (text, params, options) =>
          withDeadline(timeoutMs, (deadline) => onConnection(client, deadline).query(text, params, options)),
        exec: (script) => withDeadline(timeoutMs, (deadline) => onConnection(client, deadline).exec(script)),
      };
      try {
        const result = await work(connection);
        client.release();
        return result;
      } catch (error) {
        // Whatever the session held (an advisory lock) goes with the connection.
        client.release(error instanceof Error ? error : true);
        throw error;
      }
    },
    close(): Promise<void> {
      closing ??= pool.end();
      return closing;
    },
  };
}
