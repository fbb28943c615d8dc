// The platform pipeline with one declared, authenticated POST route (defineRoute + createRouteGroup),
// opted into idempotency keys when KEYED=1 and not otherwise: the harness sends requests without
// the header to both, pricing what the opt-in costs a request that does not use it.
import {
  createAuth,
  createIdempotency,
  createLogger,
  createRouteGroup,
  createServiceApp,
  defineRoute,
  joi,
  loadConfig,
} from '@org/platform';
import { createMemoryIdempotencyStore } from '@org/platform/testing';
import { listen } from './common.mjs';

const env = {
  ...process.env,
  ENVIRONMENT: 'staging',
  LOG_FORMAT: 'json',
  LOG_LEVEL: 'info',
  CORS_ORIGINS: 'https://app.example.com',
};
const config = loadConfig({ env, envFile: false });
const logger = createLogger({
  service: 'bench',
  version: '0.0.0',
  environment: config.ENVIRONMENT,
  level: config.LOG_LEVEL,
  format: 'json',
});
const auth = createAuth({ config, logger });
const item = joi.object({ title: joi.string().required(), description: joi.string().allow(null) });
const create = defineRoute({
  method: 'post',
  path: '/',
  operationId: 'createItem',
  summary: 'Create an item',
  auth: true,
  ...(process.env.KEYED === '1' ? { idempotencyKey: 'optional' } : {}),
  request: {
    body: joi.object({ title: joi.string().max(255).required(), description: joi.string().max(1000).allow(null) }),
  },
  responses: { 201: { description: 'Created', schema: item } },
  handler: ({ body }) => ({ status: 201, body }),
});
const items = createRouteGroup({
  basePath: '/api/v1/items',
  auth,
  idempotency: createIdempotency({ store: createMemoryIdempotencyStore() }),
  routes: [create],
});
listen(createServiceApp({ config, logger, routes: items }));
