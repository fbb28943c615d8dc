import { readFileSync } from 'node:fs';
import { createError, createLogger, isConfigError, configWarnings } from '@org/platform';
import { createApp, type AppAuth } from './app.js';
import { loadServiceConfig, type ServiceConfig } from './config.js';
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

const logger = createLogger({
  service: config.SERVICE_NAME,
  version: config.SERVICE_VERSION,
  environment: config.ENVIRONMENT,
  level: config.LOG_LEVEL,
  format: config.LOG_FORMAT,
});
for (const warning of configWarnings(config)) logger.warn('config_warning', { warning });

const store = await openEntityStore(storeChoice, { logger });
logger.info('entity_store_ready', { store: store.kind, ...(storeChoice.kind === 'pglite' ? { data_dir: storeChoice.dataDir } : {}) });

// Until the platform's requireAuth() is wired in, nothing gets past authentication.
const auth: AppAuth = {
  authenticate: (_req, _res, next) => next(createError('AUTH_MISSING_TOKEN')),
  userIdOf: () => {
    throw new Error('no authenticated principal');
  },
};

const app = createApp({ config, logger, repository: store.repository, auth });
const server = app.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
  const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST;
  logger.info('service_listening', { url: `http://${host}:${port}`, environment: config.ENVIRONMENT });
});

function stop(signal: string): void {
  logger.info('shutdown_started', { signal });
  server.close(() => {
    store
      .close()
      .catch((error: unknown) => logger.error('entity_store_close_failed', { error }))
      .finally(() => {
        logger.info('shutdown_complete');
        process.exit(0);
      });
  });
  server.closeIdleConnections();
}
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));
