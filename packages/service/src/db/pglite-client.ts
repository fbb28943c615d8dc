import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import type { SqlClient, SqlQueryable } from './sql-client.js';

/** Options of {@link createPgliteClient}. */
export interface PgliteClientOptions {
  /** Folder the database lives in; in memory when unset (tests). @default undefined */
  readonly dataDir?: string;
}

interface PgliteLike {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  exec(script: string): Promise<unknown>;
}

function queryable(db: PgliteLike): SqlQueryable {
  return {
    async query<R extends object>(text: string, params: readonly unknown[] = []): Promise<R[]> {
      return (await db.query<R>(text, [...params])).rows;
    },
    async exec(script: string): Promise<void> {
      await db.exec(script);
    },
  };
}

/**
 * Starts embedded PostgreSQL (PGlite, PostgreSQL 18 in WebAssembly) and wraps it as a
 * {@link SqlClient}. Start-up takes seconds: make one per process (tests: one per run).
 *
 * @example
 * const db = await createPgliteClient({ dataDir: '.data/pglite' });
 * await db.query('select 1 as one'); // [{ one: 1 }]
 */
export async function createPgliteClient(options: PgliteClientOptions = {}): Promise<SqlClient> {
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  let closing: Promise<void> | undefined;
  return {
    kind: 'pglite',
    ...queryable(db),
    transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      return db.transaction((tx) => work(queryable(tx)));
    },
    close(): Promise<void> {
      closing ??= db.close();
      return closing;
    },
  };
}
