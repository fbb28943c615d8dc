// The files of a freshly generated consumer service: what a team writes when it starts a service
// on @org/platform from the registry. It uses only API the previous release already had,
// including what 1.0 removed (validate() and values(req)) and a name 1.0 moved out of the root
// (noStore, now in @org/platform/http), so that the upgrade proof crosses both with
// `org-platform upgrade` and its migrations.

/** @param {{ platformRange: string, typesNode: string }} options */
export function consumerFiles({ platformRange, typesNode }) {
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
  const main = `import express from 'express';
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
  return {
    '.gitignore': 'node_modules/\ndist/\n',
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    'src/main.ts': main,
  };
}
