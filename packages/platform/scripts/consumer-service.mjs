// The files of a freshly generated consumer service: what a team writes when it starts a service
// on @org/platform from the registry, in the API of the release it starts on. `legacy` (a 0.x
// release) uses what 1.0 removed (validate() and values(req)) and a name 1.0 moved out of the root
// (noStore, now in @org/platform/http), so that the upgrade proof crosses both with
// `org-platform upgrade` and its migrations; `declared` (a 1.x release) is the same service
// written as 1.x documents it, which an upgrade within the line must leave working as it is.

/** @param {{ platformRange: string, typesNode: string, api?: 'legacy' | 'declared' }} options */
export function consumerFiles({ platformRange, typesNode, api = 'legacy' }) {
  const packageJson = {
    name: 'consumer-service',
    version: '1.0.0',
    private: true,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: { build: 'tsc -p tsconfig.json', start: 'node dist/main.js' },
    dependencies: { '@org/platform': platformRange, express: '5.3.0' },
    devDependencies: { '@types/express': '5.0.6', '@types/node': typesNode, typescript: '5.9.3' },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'ES2023',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      rootDir: 'src',
      outDir: 'dist',
      skipLibCheck: true,
      types: ['node'],
      esModuleInterop: true,
    },
    include: ['src'],
  };
  // The README's ten-line service, plus a token-protected route and a clean stop.
  const legacy = `import express from 'express';
import { createError, createLogger, createServiceApp, joi, loadConfig, noStore, validate } from '@org/platform';

const config = loadConfig({ defaults: { SERVICE_NAME: 'consumer-service' } });
const logger = createLogger({ service: config.SERVICE_NAME, version: config.SERVICE_VERSION, environment: config.ENVIRONMENT, level: config.LOG_LEVEL, format: config.LOG_FORMAT });
const greet = validate({ query: joi.object<{ name: string }>({ name: joi.string().maxChars(50).default('world') }) });
const router = express.Router()
  .get('/api/v1/greeting', greet, (req, res) => {
    res.json({ greeting: \`hello \${greet.values(req).query.name}\` });
  })
  .get('/api/v1/secret', noStore, (req, res) => {
    // Stands in for the platform's auth middleware, which the first release did not have yet.
    if (req.headers.authorization === undefined) throw createError('AUTH_MISSING_TOKEN');
    res.json({ secret: true });
  });
const server = createServiceApp({ config, logger, routes: router }).listen(config.PORT, config.HOST, () => {
  const address = server.address();
  logger.info('service_listening', { port: typeof address === 'object' && address !== null ? address.port : config.PORT });
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
`;
  // The same service as a 1.x release declares it: the greeting once (schema, types and docs from
  // one declaration), noStore from its subpath.
  const declared = `import express from 'express';
import { createError, createLogger, createRouteGroup, createServiceApp, defineRoute, joi, loadConfig } from '@org/platform';
import { noStore } from '@org/platform/http';

const config = loadConfig({ defaults: { SERVICE_NAME: 'consumer-service' } });
const logger = createLogger({ service: config.SERVICE_NAME, version: config.SERVICE_VERSION, environment: config.ENVIRONMENT, level: config.LOG_LEVEL, format: config.LOG_FORMAT });
const greet = defineRoute({
  method: 'get',
  path: '/',
  operationId: 'greet',
  summary: 'Greet someone',
  request: { query: joi.object<{ name: string }, true>({ name: joi.string().maxChars(50).default('world') }) },
  responses: { 200: { description: 'A greeting', schema: joi.object<{ greeting: string }, true>({ greeting: joi.string().required() }) } },
  handler: ({ query }) => ({ status: 200, body: { greeting: \`hello \${query.name}\` } }),
});
const secret = express.Router().get('/api/v1/secret', noStore, (req, res) => {
  if (req.headers.authorization === undefined) throw createError('AUTH_MISSING_TOKEN');
  res.json({ secret: true });
});
const routes = [createRouteGroup({ basePath: '/api/v1/greeting', routes: [greet] }), secret];
const server = createServiceApp({ config, logger, routes }).listen(config.PORT, config.HOST, () => {
  const address = server.address();
  logger.info('service_listening', { port: typeof address === 'object' && address !== null ? address.port : config.PORT });
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
`;
  if (api !== 'legacy' && api !== 'declared')
    throw new TypeError(`consumerFiles: api must be legacy or declared, not ${api}`);
  const main = api === 'legacy' ? legacy : declared;
  return {
    '.gitignore': 'node_modules/\ndist/\n',
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    'src/main.ts': main,
  };
}
