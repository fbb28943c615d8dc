import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@org/platform';
import type { SqlClient } from './sql-client.js';

/** Options of {@link applyMigrations}. */
export interface MigrationOptions {
  /** Folder of Supabase CLI migrations, `<version>_<name>.sql`, applied in version order. */
  readonly migrationsDir: string;
  /**
   * A script run before the migrations on every start (it must be idempotent): the plain
   * PostgreSQL/PGlite stand-in for what Supabase provides. Unset for Supabase itself.
   */
  readonly bootstrapFile?: string;
  readonly logger?: Logger;
}

/** One migration file. */
export interface Migration {
  readonly version: string;
  readonly name: string;
  readonly file: string;
}

const FILE_NAME = /^(\d{14})_([a-z0-9_]+)\.sql$/;
// Any constant; all instances of the service agree on it, so concurrent starts migrate one at a time.
const MIGRATION_LOCK = 7_236_198_341;

/**
 * The migrations in a folder, in version order. Files that do not follow the Supabase CLI name
 * pattern are refused rather than skipped, so a misnamed file cannot silently never apply.
 *
 * @example
 * listMigrations('supabase/migrations'); // [{ version: '20260227000000', name: 'create_entities', file: '...' }]
 */
export function listMigrations(migrationsDir: string): Migration[] {
  const files = readdirSync(migrationsDir)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  return files.map((file) => {
    const match = FILE_NAME.exec(file);
    if (match === null) throw new Error(`migration file ${file} is not named <14-digit version>_<snake_case_name>.sql`);
    return { version: match[1]!, name: match[2]!, file: join(migrationsDir, file) };
  });
}

/**
 * Applies the bootstrap and every migration not yet recorded, in order, in one transaction under
 * an advisory lock, and records each in `supabase_migrations.schema_migrations` (the table and
 * columns the Supabase CLI uses), so restarts apply nothing twice. Returns the versions applied now.
 *
 * @example
 * await applyMigrations(db, { migrationsDir: 'supabase/migrations', bootstrapFile: 'supabase/bootstrap/plain-postgres.sql', logger });
 */
export async function applyMigrations(db: SqlClient, options: MigrationOptions): Promise<string[]> {
  const migrations = listMigrations(options.migrationsDir);
  const bootstrap = options.bootstrapFile === undefined ? undefined : readFileSync(options.bootstrapFile, 'utf8');
  const applied = await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    if (bootstrap !== undefined) await tx.exec(bootstrap);
    await tx.exec(`
      create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
    `);
    const done = new Set(
      (await tx.query<{ version: string }>('select version from supabase_migrations.schema_migrations')).map(
        (row) => row.version,
      ),
    );
    const now: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      const script = readFileSync(migration.file, 'utf8');
      await tx.exec(script);
      await tx.query(
        'insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)',
        [migration.version, [script], migration.name],
      );
      now.push(migration.version);
    }
    return now;
  });
  options.logger?.info('migrations_applied', { engine: db.kind, applied, total: migrations.length });
  return applied;
}
