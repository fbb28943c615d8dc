// The sample service's app (the real composition: pipeline, auth with its session cache,
// validation, the SQL repository) on the PostgreSQL database in DATABASE_URL, with the bench's IPC
// handshake, so that section (e) can count its instructions per request under callgrind like
// the other bench servers. The harness creates the database; the store migrates it here.
import { createAuth, createIdempotency, createLifecycle, createLogger } from '@org/platform';
import { createApp } from '@org/entities-service/dist/app.js';
import { loadServiceConfig } from '@org/entities-service/dist/config.js';
import { chooseStore, openEntityStore } from '@org/entities-service/dist/store.js';
import { listen } from './common.mjs';

const config = loadServiceConfig({ version: '0.0.0', env: process.env, envFile: false });
const logger = createLogger({
  service: config.SERVICE_NAME,
  version: '0.0.0',
  environment: config.ENVIRONMENT,
  level: config.LOG_LEVEL,
  format: 'json',
});
const store = await openEntityStore(chooseStore(config), { logger, timeoutMs: config.DATABASE_TIMEOUT_MS });
await store.migrate();
// The lifecycle is never started (the bench's harness owns the process): it carries the metrics,
// shared with auth's session cache, into the app as main.ts's does.
const lifecycle = createLifecycle({ config, logger, handleProcessEvents: false });
const auth = createAuth({ config, logger, ...(lifecycle.metrics === false ? {} : { metrics: lifecycle.metrics }) });
const idempotency = createIdempotency({ store: store.idempotency, ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS, logger });
listen(createApp({ config, logger, auth, repository: store.repository, idempotency, lifecycle }));
