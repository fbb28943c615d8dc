import pg from 'pg';
import type { Logger } from '@org/platform';
import type { SqlClient, SqlQueryable } from './sql-client.js';

/** Options of {@link createPgClient}. */
export interface PgClientOptions {
  /** `postgres://user:password@host:port/database`. Never logged. */
  readonly connectionString: string;
  /** Logs connection errors of idle pooled connections (which would otherwise crash the process). */
  readonly logger?: Logger;
  /** Pool size. @default 10 */
  readonly max?: number;
  /** How long to wait for a connection before failing as unavailable, in ms. @default 5000 */
  readonly connectionTimeoutMs?: number;
  /** Server-side statement timeout, in ms. @default 10000 */
  readonly statementTimeoutMs?: number;
}

interface Runner {
  query(text: string, params?: unknown[]): Promise<pg.QueryResult>;
}

function queryable(runner: Runner): SqlQueryable {
  return {
    async query<R extends object>(text: string, params: readonly unknown[] = []): Promise<R[]> {
      return (await runner.query(text, [...params])).rows as R[];
    },
    async exec(script: string): Promise<void> {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await runner.query(script);
    },
  };
}

/**
 * A {@link SqlClient} over a connection pool to a PostgreSQL server (`pg`).
 *
 * @example
 * const db = createPgClient({ connectionString: config.DATABASE_URL, logger });
 * await db.query('select count(*)::int as n from public.entities where owner_id = $1', [userId]);
 */
export function createPgClient(options: PgClientOptions): SqlClient {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
  });
  pool.on('error', function onIdleClientError(error: Error) {
    options.logger?.warn('database_connection_error', { error: error.message });
  });
  let closing: Promise<void> | undefined;
  return {
    kind: 'postgres',
    ...queryable(pool),
    async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(queryable(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close(): Promise<void> {
      closing ??= pool.end();
      return closing;
    },
  };
}
