// The sample service's app (the real composition: pipeline, auth with its session cache,
// validation, the SQL repository) on the PostgreSQL database in DATABASE_URL, with the bench's IPC
// handshake, so that section (e) can count its instructions per request under callgrind like
// the other bench servers. The harness creates the database; the store migrates it here.
import { createAuth, createLogger, createMetrics } from '@org/platform';
import { createApp } from '@org/entities-service/dist/app.js';
import { loadServiceConfig } from '@org/entities-service/dist/config.js';
import { chooseStore, openEntityStore } from '@org/entities-service/dist/store.js';
import { listen } from './common.mjs';

const config = loadServiceConfig({ version: '0.0.0', env: process.env, envFile: false });
const logger = createLogger({ service: config.SERVICE_NAME, version: '0.0.0', environment: config.ENVIRONMENT, level: config.LOG_LEVEL, format: 'json' });
const store = await openEntityStore(chooseStore(config), { logger, timeoutMs: config.DATABASE_TIMEOUT_MS });
await store.migrate();
const metrics = createMetrics();
const auth = createAuth({ config, logger, metrics });
listen(createApp({ config, logger, auth, repository: store.repository, metrics }));
