import { readFileSync } from 'node:fs';
import { createAuth, createLogger, isConfigError, configWarnings } from '@org/platform';
import { createApp } from './app.js';
import { loadServiceConfig, type ServiceConfig } from './config.js';
import { LOCAL_AUTH_DIR } from './local-data.js';

// Composition root: read config, build dependencies, start. Nothing else in the service does I/O at import.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

let config: ServiceConfig;
try {
  config = loadServiceConfig({ version: pkg.version });
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

// Clerk keys from config; in local without them, a key pair generated once under .data/ (`npm run token`).
const auth = createAuth({ config, logger, localKeyDir: LOCAL_AUTH_DIR });

const app = createApp({ config, logger, auth });
const server = app.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
  const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST;
  logger.info('service_listening', { url: `http://${host}:${port}`, environment: config.ENVIRONMENT });
});

function stop(signal: string): void {
  logger.info('shutdown_started', { signal });
  server.close(() => {
    logger.info('shutdown_complete');
    process.exit(0);
  });
  server.closeIdleConnections();
}
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));
