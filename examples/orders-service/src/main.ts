import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  configWarnings,
  createAuth,
  createLifecycle,
  createLogger,
  initObservability,
  isConfigError,
  serviceClient,
} from '@org/platform';
import { createApp } from './app.js';
import { loadOrdersConfig, PACKAGE_ROOT, type OrdersConfig } from './config.js';
import { createMemoryOrderBook } from './orders/index.js';

// Composition root: read config, build dependencies, start. Nothing else does I/O at import.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

let config: OrdersConfig;
try {
  config = loadOrdersConfig({ version: pkg.version });
} catch (error) {
  if (!isConfigError(error)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

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

const lifecycle = createLifecycle({ config, logger, observability });

// The upstream's URL comes from the loaded config (ENTITIES_SERVICE_URL, .env included); unset,
// a warning is logged now and calls answer 503 SERVICE_NOT_CONFIGURED. Its sockets close last.
const entities = serviceClient('entities-service', { logger, env: config });
lifecycle.addShutdownHook('entities_client', () => entities.close());

// Clerk keys from config; in local mode without them, the key pair every local service shares.
const auth = createAuth({ config, logger, localKeyDir: resolve(PACKAGE_ROOT, config.LOCAL_AUTH_DIR) });

const app = createApp({ config, logger, auth, entities, book: createMemoryOrderBook(), lifecycle });
await lifecycle.start(app);
