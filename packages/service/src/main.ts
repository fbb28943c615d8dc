import { readFileSync } from 'node:fs';
import {
  configWarnings,
  createAuth,
  createIdempotency,
  createLifecycle,
  createLogger,
  initObservability,
  isConfigError,
} from '@org/platform';
import { createApp } from './app.js';
import { loadServiceConfig, type ServiceConfig } from './config.js';
import { isDataFolderLockedError, lockDataFolder, type DataFolderLock } from './db/data-folder-lock.js';
import { isSqlUnavailableError } from './db/unavailable.js';
import { createPendingRepository, isEntityStoreUnavailable } from './entities/index.js';
import { LOCAL_AUTH_DIR } from './local-data.js';
import { chooseStore, openEntityStore, type EntityStore, type StoreChoice } from './store.js';

// Composition root: read config, build dependencies, start. Nothing else in the service does I/O at import.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

let config: ServiceConfig;
let storeChoice: StoreChoice;
try {
  config = loadServiceConfig({ version: pkg.version });
  storeChoice = chooseStore(config);
} catch (error) {
  if (!isConfigError(error)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

// 1. Error reporting first (a no-op without SENTRY_DSN), before the app is built.
const observability = await initObservability({
  dsn: config.SENTRY_DSN,
  service: config.SERVICE_NAME,
  version: config.SERVICE_VERSION,
  environment: config.ENVIRONMENT,
});

const logger = createLogger({
  service: config.SERVICE_NAME,
  version: config.SERVICE_VERSION,
  environment: config.ENVIRONMENT,
  level: config.LOG_LEVEL,
  format: config.LOG_FORMAT,
});
for (const warning of configWarnings(config)) logger.warn('config_warning', { warning });

// 2. One process per PGlite folder, decided before listening: a second process refuses to start
//    instead of serving a copy of its own (whose acknowledged writes the first would lose).
let folderLock: DataFolderLock | undefined;
if (storeChoice.kind === 'pglite') {
  try {
    folderLock = await lockDataFolder(storeChoice.dataDir, {
      onWait: (holder, waitMs) =>
        logger.warn('data_folder_locked', {
          data_dir: storeChoice.dataDir,
          holder_pid: holder?.pid,
          wait_ms: waitMs,
          note: 'waiting to see whether its holder is gone',
        }),
      // Frozen past the stale limit, this process lost the folder to another: stop writing now.
      onLost: (error) => {
        logger.error('data_folder_lock_lost', { data_dir: storeChoice.dataDir, reason: error.message });
        void logger.flush().finally(() => process.exit(1));
      },
    });
  } catch (error) {
    if (!isDataFolderLockedError(error)) throw error;
    logger.error('startup_failed', { reason: error.message });
    await logger.flush();
    process.exit(1);
  }
}

// 3. The lifecycle owns the process from here: signals, readiness, graceful shutdown, fatal errors,
//    and what the app takes from it: readiness, load shedding, request metrics, error reporting.
const lifecycle = createLifecycle({ config, logger, observability });

// 4. Dependencies that open sockets are built here, each registered with the lifecycle.
//    The entity store (Supabase, DATABASE_URL, else PGlite) opens and migrates in a startup hook,
//    after the server listens: /healthz answers at once while PGlite takes its seconds, and
//    readiness turns 200 only once the store is ready. A database that is not up yet (normal at
//    deploy time) is waited for: the hook is retried with capped backoff while /readyz shows the
//    database check failing. /readyz reads the table with the service's own credentials; the
//    store closes after the server drained, and then the folder lock is released.
const entities = createPendingRepository();
// Idempotency keys of the create route: records in the entity store, written with its writes,
// purged in the background once the store is open (an unref'd timer, stopped before the store closes).
const idempotency = createIdempotency({
  store: entities.idempotency,
  ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
  logger,
});
let store: EntityStore | undefined;
lifecycle.addStartupHook(
  'entity_store',
  async () => {
    const opened = await openEntityStore(storeChoice, { logger, timeoutMs: config.DATABASE_TIMEOUT_MS });
    try {
      await opened.migrate();
    } catch (error) {
      await opened.close().catch(() => undefined);
      throw error;
    }
    store = opened;
    entities.attach(opened);
    idempotency.start();
  },
  {
    retry: {
      retryIf: (error) => isSqlUnavailableError(error) || isEntityStoreUnavailable(error),
      initialDelayMs: 500,
      maxDelayMs: 10_000,
    },
  },
);
lifecycle.health.addCheck('database', () => entities.repository.ping());
lifecycle.addShutdownHook('data_folder_lock', () => folderLock?.release());
lifecycle.addShutdownHook('entity_store', () => store?.close());
// Hooks run in reverse order: the purge stops before the store closes.
lifecycle.addShutdownHook('idempotency_purge', () => idempotency.close());

// Clerk keys from config; in local without them, a key pair generated once under .data/ (`npm run token`).
// The lifecycle's metrics registry: the session cache's hits and misses are on /metrics too.
const auth = createAuth({
  config,
  logger,
  localKeyDir: LOCAL_AUTH_DIR,
  ...(lifecycle.metrics === false ? {} : { metrics: lifecycle.metrics }),
});

// 5. The app, then one call: listen, run the startup hooks, turn readiness on.
const app = createApp({ config, logger, auth, repository: entities.repository, idempotency, lifecycle });
await lifecycle.start(app);
