import { createClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import { ConfigError, type Logger } from '@org/platform';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ws from 'ws';
import { applyMigrations, createPgClient, createPgliteClient, type SqlClient } from './db/index.js';
import { createSqlEntityRepository, createSupabaseEntityRepository, type EntityRepository } from './entities/index.js';
import type { ServiceConfig } from './config.js';

type WebSocketTransport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>;

/** The service package folder: a relative PGLITE_DIR is resolved here, beside the local auth key in `.data/`. */
export const SERVICE_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Where the schema lives: the repository's `supabase/` folder. */
export const SUPABASE_DIR = fileURLToPath(new URL('../../../supabase/', import.meta.url));

/** Which store holds the entities, decided once from configuration. */
export type StoreChoice =
  | { readonly kind: 'supabase'; readonly url: string; readonly serviceKey: string }
  | { readonly kind: 'postgres'; readonly connectionString: string }
  | { readonly kind: 'pglite'; readonly dataDir: string };

/**
 * Chooses the store: SUPABASE_URL + SUPABASE_SERVICE_KEY → Supabase; else DATABASE_URL → that
 * PostgreSQL server; else embedded PGlite, which production refuses.
 *
 * @throws ConfigError when only one Supabase variable is set, or PGlite would run in production.
 * @example
 * chooseStore(config); // { kind: 'pglite', dataDir: '/srv/app/packages/service/.data/pglite' }
 */
export function chooseStore(config: Pick<ServiceConfig, 'ENVIRONMENT' | 'DATABASE_URL' | 'SUPABASE_URL' | 'SUPABASE_SERVICE_KEY' | 'PGLITE_DIR'>): StoreChoice {
  const { SUPABASE_URL: url, SUPABASE_SERVICE_KEY: serviceKey } = config;
  if (url !== undefined && serviceKey !== undefined) return { kind: 'supabase', url, serviceKey };
  if (url !== undefined || serviceKey !== undefined) {
    const missing = url === undefined ? 'SUPABASE_URL' : 'SUPABASE_SERVICE_KEY';
    throw new ConfigError([{ variable: missing, message: `is required when ${missing === 'SUPABASE_URL' ? 'SUPABASE_SERVICE_KEY' : 'SUPABASE_URL'} is set` }]);
  }
  if (config.DATABASE_URL !== undefined) return { kind: 'postgres', connectionString: config.DATABASE_URL };
  if (config.ENVIRONMENT === 'production') {
    throw new ConfigError([{ variable: 'DATABASE_URL', message: 'production needs SUPABASE_URL + SUPABASE_SERVICE_KEY or DATABASE_URL; the embedded PGlite store is for local use only' }]);
  }
  return { kind: 'pglite', dataDir: resolve(SERVICE_ROOT, config.PGLITE_DIR) };
}

/** An open entity store. */
export interface EntityStore {
  readonly kind: StoreChoice['kind'];
  readonly repository: EntityRepository;
  /** Closes connections (lifecycle shutdown hook). Idempotent. */
  close(): Promise<void>;
}


/** Options of {@link openEntityStore}. */
export interface OpenEntityStoreOptions {
  readonly logger: Logger;
  /** @default SUPABASE_DIR + 'migrations' */
  readonly migrationsDir?: string;
  /** @default SUPABASE_DIR + 'bootstrap/plain-postgres.sql' */
  readonly bootstrapFile?: string;
}

/**
 * Opens the chosen store. PGlite and PostgreSQL get the bootstrap and the migrations applied
 * (recorded, so a restart applies nothing twice); Supabase is migrated with `supabase db push`.
 *
 * @example
 * const store = await openEntityStore(chooseStore(config), { logger });
 * lifecycle.onShutdown(() => store.close());
 */
export async function openEntityStore(choice: StoreChoice, options: OpenEntityStoreOptions): Promise<EntityStore> {
  if (choice.kind === 'supabase') {
    const client = createClient(choice.url, choice.serviceKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      // Node 20 has no global WebSocket: supabase-js refuses to start without a transport.
      realtime: { transport: ws as unknown as WebSocketTransport },
    });
    return { kind: 'supabase', repository: createSupabaseEntityRepository(client), close: async () => { await client.removeAllChannels(); } };
  }
  const db: SqlClient = choice.kind === 'postgres' ? createPgClient({ connectionString: choice.connectionString, logger: options.logger }) : await createPgliteClient({ dataDir: choice.dataDir });
  try {
    await applyMigrations(db, {
      migrationsDir: options.migrationsDir ?? `${SUPABASE_DIR}migrations`,
      bootstrapFile: options.bootstrapFile ?? `${SUPABASE_DIR}bootstrap/plain-postgres.sql`,
      logger: options.logger,
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  return { kind: choice.kind, repository: createSqlEntityRepository(db), close: () => db.close() };
}
