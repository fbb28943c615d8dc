import {
  createLifecycle,
  createLogger,
  createRouteGroup,
  createServiceApp,
  defineRoute,
  joi,
  loadConfig,
} from '@org/platform';

const config = loadConfig({ defaults: { SERVICE_NAME: 'greeter-service' } });
const logger = createLogger({
  service: config.SERVICE_NAME,
  version: config.SERVICE_VERSION,
  environment: config.ENVIRONMENT,
  level: config.LOG_LEVEL,
  format: config.LOG_FORMAT,
});
const lifecycle = createLifecycle({ config, logger }); // owns the process: signals, readiness, drain, metrics
const greet = defineRoute({
  method: 'get',
  path: '/',
  operationId: 'greet',
  summary: 'Greet someone',
  request: { query: joi.object<{ name: string }, true>({ name: joi.string().maxChars(50).default('world') }) },
  responses: {
    200: {
      description: 'A greeting',
      schema: joi.object<{ greeting: string }, true>({ greeting: joi.string().required() }),
    },
  },
  handler: ({ query }) => ({ status: 200, body: { greeting: `hello ${query.name}` } }),
});
const greeting = createRouteGroup({ basePath: '/api/v1/greeting', routes: [greet] });
const app = createServiceApp({ config, logger, lifecycle, routes: greeting }); // readiness, load shedding and metrics follow the lifecycle
await lifecycle.start(app); // listens on HOST:PORT; SIGTERM or Ctrl-C drains in-flight requests, then exits 0
