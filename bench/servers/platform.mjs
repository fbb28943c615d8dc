// The full platform pipeline (request context, helmet, CORS, JSON access log, metrics, load shedding,
// body limit, error handling) around the same two routes. Logs go to stdout, which the harness points at /dev/null.
import { createLogger, createServiceApp, loadConfig } from '@org/platform';
import { createTestKeyPair } from '@org/platform/testing';
import { itemRoutes, listen } from './common.mjs';

// Outside local the config needs a Clerk key; these routes do not authenticate, any valid key will do.
const env = {
  ...process.env,
  ENVIRONMENT: 'staging',
  LOG_FORMAT: 'json',
  LOG_LEVEL: 'info',
  CORS_ORIGINS: 'https://app.example.com',
  CLERK_JWT_KEY: createTestKeyPair().publicKeyPem,
};
const config = loadConfig({ env, envFile: false });
const logger = createLogger({
  service: 'bench',
  version: '0.0.0',
  environment: config.ENVIRONMENT,
  level: config.LOG_LEVEL,
  format: 'json',
});
// The routes go on the app itself, as the baseline servers define theirs: mounted as an
// express.Router() they would cost Express ~2 µs a request (Node 24) of routing that is not the pipeline's.
listen(createServiceApp({ config, logger, routes: itemRoutes }));
