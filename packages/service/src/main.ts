import { readFileSync } from 'node:fs';
import { configWarnings, createAuth, createLifecycle, createLogger, initObservability, isConfigError } from '@org/platform';
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

// 1. Error reporting first (a no-op without SENTRY_DSN), before the app is built.
const observability = initObservability({ dsn: config.SENTRY_DSN, service: config.SERVICE_NAME, version: config.SERVICE_VERSION, environment: config.ENVIRONMENT });

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

// 3. Dependencies that open sockets are built here, each registered with the lifecycle:
//    lifecycle.addStartupHook(name, fn)            work before readiness turns 200 (migrations)
//    lifecycle.health.addCheck(name, fn, options)  what /readyz checks (the database)
//    lifecycle.addShutdownHook(name, fn)           how it closes; hooks run in reverse order

// Clerk keys from config; in local without them, a key pair generated once under .data/ (`npm run token`).
const auth = createAuth({ config, logger, localKeyDir: LOCAL_AUTH_DIR });

// 4. The app, then one call: listen, run the startup hooks, turn readiness on.
const app = createApp({ config, logger, auth, health: lifecycle.health, observability });
await lifecycle.start(app);
