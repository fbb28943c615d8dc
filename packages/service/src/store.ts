import type { SupabaseClientOptions } from '@supabase/supabase-js';
import { ConfigError, type Logger } from '@org/platform';
import { type IdempotencyStore } from '@org/platform/idempotency';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations } from './db/migrate.js';
import type { SqlClient } from './db/sql-client.js';
import type { EntityRepository } from './entities/repository.js';
import { createSqlEntityRepository } from './entities/sql-repository.js';
import { createSupabaseEntityRepository } from './entities/supabase-repository.js';
import { createSqlIdempotencyStore } from './idempotency/sql-idempotency-store.js';
import { createSupabaseIdempotencyStore } from './idempotency/supabase-idempotency-store.js';
import { storeProblems, type ServiceConfig } from './config.js';

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
export function chooseStore(
  config: Pick<ServiceConfig, 'ENVIRONMENT' | 'DATABASE_URL' | 'SUPABASE_URL' | 'SUPABASE_SERVICE_KEY' | 'PGLITE_DIR'>,
): StoreChoice {
  // loadServiceConfig reports these with every other problem; a hand-built config meets them here.
  const problems = storeProblems(config);
  if (problems.length > 0) throw new ConfigError(problems);
  const { SUPABASE_URL: url, SUPABASE_SERVICE_KEY: serviceKey } = config;
  if (url !== undefined && serviceKey !== undefined) return { kind: 'supabase', url, serviceKey };
  if (config.DATABASE_URL !== undefined) return { kind: 'postgres', connectionString: config.DATABASE_URL };
  return { kind: 'pglite', dataDir: resolve(SERVICE_ROOT, config.PGLITE_DIR) };
}

/**
 * `fetch` with a deadline on each call, for supabase-js: a PostgREST that stops answering fails
 * the call (status 0, "unavailable") instead of holding the request.
 */
function fetchWithDeadline(timeoutMs: number): typeof fetch {
  return function fetchBounded(input, init) {
    const deadline = AbortSignal.timeout(timeoutMs);
    return fetch(input, {
      ...init,
      signal: init?.signal == null ? deadline : AbortSignal.any([init.signal, deadline]),
    });
  };
}

/** An open entity store. */
export interface EntityStore {
  readonly kind: StoreChoice['kind'];
  readonly repository: EntityRepository;
  /** The records of idempotent answers, written with the create they describe (one statement, or one function call on Supabase). */
  readonly idempotency: IdempotencyStore;
  /**
   * Applies the bootstrap and the migrations not yet recorded (PGlite, PostgreSQL); returns the
   * versions applied. Supabase is migrated with `supabase db push`, so there it does nothing.
   */
  migrate(): Promise<readonly string[]>;
  /** Closes connections (lifecycle shutdown hook). Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link openEntityStore}. */
export interface OpenEntityStoreOptions {
  readonly logger: Logger;
  /**
   * The client-side deadline of each call to PostgreSQL or Supabase, in ms (DATABASE_TIMEOUT_MS):
   * a database that stops answering turns into 503 `DATABASE_UNAVAILABLE`, not a request that
   * hangs as long as it does. @default 5000
   */
  readonly timeoutMs?: number;
  /** @default SUPABASE_DIR + 'migrations' */
  readonly migrationsDir?: string;
  /** @default SUPABASE_DIR + 'bootstrap/plain-postgres.sql' */
  readonly bootstrapFile?: string;
}

/**
 * Opens the chosen store: a PGlite instance, a `pg` pool or a supabase-js client. Call
 * `migrate()` before serving (a lifecycle startup hook); it records what it applied, so a restart
 * applies nothing twice.
 *
 * @example
 * const store = await openEntityStore(chooseStore(config), { logger });
 * lifecycle.addStartupHook('entity_store_migrations', () => store.migrate());
 * lifecycle.addShutdownHook('entity_store', () => store.close());
 */
export async function openEntityStore(choice: StoreChoice, options: OpenEntityStoreOptions): Promise<EntityStore> {
  const { logger } = options;
  const timeoutMs = options.timeoutMs ?? 5000;
  // Each store's driver is imported only when chosen: the service starts (and answers /healthz)
  // without loading the other two.
  if (choice.kind === 'supabase') {
    const [{ createClient }, { default: ws }] = await Promise.all([import('@supabase/supabase-js'), import('ws')]);
    const client = createClient(choice.url, choice.serviceKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      global: { fetch: fetchWithDeadline(timeoutMs) },
      // Node 20 has no global WebSocket: supabase-js refuses to start without a transport.
      realtime: { transport: ws as unknown as WebSocketTransport },
    });
    return {
      kind: 'supabase',
      repository: createSupabaseEntityRepository(client),
      idempotency: createSupabaseIdempotencyStore(client),
      migrate: () => {
        logger.info('migrations_skipped', {
          store: 'supabase',
          reason: 'Supabase is migrated with `supabase db push`',
        });
        return Promise.resolve([]);
      },
      close: async () => {
        await client.removeAllChannels();
      },
    };
  }
  const db: SqlClient =
    choice.kind === 'postgres'
      ? (await import('./db/pg-client.js')).createPgClient({
          connectionString: choice.connectionString,
          logger,
          timeoutMs,
        })
      : await (await import('./db/pglite-client.js')).createPgliteClient({ dataDir: choice.dataDir });
  logger.info('entity_store_opened', {
    store: choice.kind,
    ...(choice.kind === 'pglite' ? { data_dir: choice.dataDir } : {}),
  });
  return {
    kind: choice.kind,
    repository: createSqlEntityRepository(db),
    idempotency: createSqlIdempotencyStore(db),
    migrate: () =>
      applyMigrations(db, {
        migrationsDir: options.migrationsDir ?? `${SUPABASE_DIR}migrations`,
        bootstrapFile: options.bootstrapFile ?? `${SUPABASE_DIR}bootstrap/plain-postgres.sql`,
        logger,
      }),
    close: () => db.close(),
  };
}
