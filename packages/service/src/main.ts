import { readFileSync } from 'node:fs';
import { configWarnings, createAuth, createLifecycle, createLogger, initObservability, isConfigError } from '@org/platform';
import { createApp } from './app.js';
import { loadServiceConfig, type ServiceConfig } from './config.js';
import { LOCAL_AUTH_DIR } from './local-data.js';
import { chooseStore, openEntityStore, type StoreChoice } from './store.js';

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
const observability = await initObservability({ dsn: config.SENTRY_DSN, service: config.SERVICE_NAME, version: config.SERVICE_VERSION, environment: config.ENVIRONMENT });

const logger = createLogger({
  service: config.SERVICE_NAME,
  version: config.SERVICE_VERSION,
  environment: config.ENVIRONMENT,
  level: config.LOG_LEVEL,
  format: config.LOG_FORMAT,
});
for (const warning of configWarnings(config)) logger.warn('config_warning', { warning });

// 2. The lifecycle owns the process from here: signals, readiness, graceful shutdown, fatal errors.
const lifecycle = createLifecycle({ config, logger, observability });

// 3. Dependencies that open sockets are built here, each registered with the lifecycle.
//    The entity store (Supabase, DATABASE_URL, else PGlite): migrations before readiness turns
//    200, a readiness check that reads the table with the service's own credentials, and closing
//    it after the server drained.
const store = await openEntityStore(storeChoice, { logger });
lifecycle.addStartupHook('entity_store_migrations', () => store.migrate());
lifecycle.health.addCheck('database', () => store.repository.ping());
lifecycle.addShutdownHook('entity_store', () => store.close());

// Clerk keys from config; in local without them, a key pair generated once under .data/ (`npm run token`).
const auth = createAuth({ config, logger, localKeyDir: LOCAL_AUTH_DIR });

// 4. The app, then one call: listen, run the startup hooks, turn readiness on.
const app = createApp({ config, logger, auth, repository: store.repository, health: lifecycle.health, observability });
await lifecycle.start(app);
