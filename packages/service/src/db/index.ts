export { applyMigrations, listMigrations, type Migration, type MigrationOptions } from './migrate.js';
export { createPgClient, type PgClientOptions } from './pg-client.js';
export { createPgliteClient, type PgliteClientOptions } from './pglite-client.js';
export type { QueryOptions, SqlClient, SqlQueryable } from './sql-client.js';
export { isSqlUnavailableError } from './unavailable.js';
