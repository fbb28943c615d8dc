import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConsumerProject, type ConsumerProject } from '../fixtures/consumer-project.js';
import { runCli, runInProcess } from '../fixtures/run-cli.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/projects/${name}`, import.meta.url), 'utf8');
const tsc = (dir: string) =>
  spawnSync(
    process.execPath,
    [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'],
    { cwd: dir, encoding: 'utf8' },
  );
// The migration belongs to 0.2.0: it runs on the last 0.x platform (the workspace's is 1.0, without validate()).
const MIGRATE = ['migrate', '--from', '0.1.0', '--to', '0.2.0'];

async function answers(
  app: Server['listeners'] extends never ? never : (req: unknown, res: unknown) => void,
  requests: readonly [string, string, unknown?][],
): Promise<unknown[]> {
  const { createServer } = await import('node:http');
  const server = createServer(app as never);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const out: unknown[] = [];
    for (const [method, path, body] of requests) {
      const res = await fetch(`${base}${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      const text = await res.text();
      const json = text === '' ? null : (JSON.parse(text) as Record<string, unknown>);
      if (json !== null && 'request_id' in json) delete json.request_id;
      out.push({
        status: res.status,
        location: res.headers.get('location'),
        item: res.headers.get('x-item-version'),
        allow: res.headers.get('allow'),
        json,
      });
    }
    return out;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe('migration route-declaration (validate() + RouteDescription → defineRoute + createRouteGroup)', function () {
  this.timeout(120_000);
  const projects: ConsumerProject[] = [];
  after(() => projects.forEach((p) => p.remove()));
  const project = (files: Record<string, string>, options?: { tsconfig?: boolean }) => {
    const created = createConsumerProject(files, { platform: 'previous', ...options });
    projects.push(created);
    return created;
  };

  it('rewrites every route of a router mounted under a prefix, keeps each answer the same, compiles, and changes nothing the second time', async () => {
    const before = project({ 'src/catalog.ts': fixture('catalog.ts') });
    const after = project({ 'src/catalog.ts': fixture('catalog.ts') });
    const run = await runCli(MIGRATE, { cwd: after.dir });
    expect(run.code).to.equal(0);
    expect(run.stdout).to.include('changed 1 file: src/catalog.ts');
    expect(run.stdout).to.not.include('left for you');
    expect(run.stdout).to.include(
      'converted:\n  GET /  src/catalog.ts:18\n  GET /:id  src/catalog.ts:19\n  POST /  src/catalog.ts:26\n  DELETE /:id  src/catalog.ts:32\n',
    );
    expect(run.stdout).to.include('converted 4 of 4 routes; 0 left\n');
    const migrated = readFileSync(join(after.dir, 'src/catalog.ts'), 'utf8');
    expect(migrated).to.not.match(/\bvalidate\(|\w+\.values\(req\)/);
    // Formatted as Prettier would (no configuration: the file's own quotes and semicolons, 100 columns).
    expect(migrated).to.include(
      "import {\n  createLogger,\n  createRouteGroup,\n  createServiceApp,\n  defineRoute,\n  joi,\n  loadConfig,\n} from '@org/platform';",
    );
    expect(Math.max(...migrated.split('\n').map((line) => line.length))).to.be.at.most(134);
    // Comments stay, the joi schema types the untyped schema, the 404 branch is a declared reply.
    expect(migrated).to.include('    // Missing items answer 404 with the id that was asked for.\n');
    expect(migrated).to.include(
      'request: { params: joi.object<{ id: number }, true>({ id: joi.number().integer().required() }) },',
    );
    expect(migrated).to.include('if (item === undefined) return { status: 404, body: { missing: where.id } };');
    expect(migrated).to.include("return { status: 200, body: item, headers: { 'X-Item-Version': '1' } };");
    expect(migrated).to.include(
      "headers: { 'X-Item-Version': { description: 'The X-Item-Version header.' } },\n    },\n    404: {\n      description: 'Not Found',\n      schema: joi.object<{ missing: number }>({ missing: joi.number().required() }),\n    },",
    );
    // One group for the router's four routes, mounted where the last was registered.
    expect(migrated).to.include(
      "const router = express.Router();\nconst itemsRoutes = createRouteGroup({\n  basePath: '/api/v1/items',\n  routes: [listItems, getItem, addItem, removeItem],\n});\nrouter.use(itemsRoutes.router);\n\n/**",
    );
    expect(tsc(after.dir).stdout).to.equal('');

    const requests: [string, string, unknown?][] = [
      ['GET', '/api/v1/items?limit=1'],
      ['GET', '/api/v1/items/'],
      ['GET', '/api/v1/items?limit=0'],
      ['GET', '/api/v1/items/1'],
      ['GET', '/api/v1/items/7'],
      ['GET', '/api/v1/items/x'],
      ['POST', '/api/v1/items', { name: 'desk' }],
      ['POST', '/api/v1/items', { name: 'chair', colour: 'red' }],
      ['PUT', '/api/v1/items/1'],
      ['DELETE', '/api/v1/items/2'],
      ['GET', '/api/v1/items/2'],
    ];
    const load = async (dir: string) =>
      ((await import(pathToFileURL(join(dir, 'src/catalog.ts')).href)) as { createApp(): never }).createApp();
    expect(await answers(await load(after.dir), requests)).to.deep.equal(
      await answers(await load(before.dir), requests),
    );

    const again = await runInProcess(MIGRATE, after.dir);
    expect(again.stdout).to.include('no file changed');
    expect(readFileSync(join(after.dir, 'src/catalog.ts'), 'utf8')).to.equal(migrated);
  });

  it("folds the route's RouteDescription into its declaration and passes the groups to createOpenApiDocument", async () => {
    const orders = project({ 'src/orders.ts': fixture('orders.ts') });
    const run = await runInProcess(MIGRATE, orders.dir);
    expect(run.code).to.equal(0);
    const migrated = readFileSync(join(orders.dir, 'src/orders.ts'), 'utf8');
    expect(migrated).to.include(
      [
        '  const createOrder = defineRoute({',
        "    method: 'post',",
        "    path: '/',",
        "    operationId: 'createOrder',",
        "    summary: 'Create an order',",
        '    auth: true,',
        '    request: {',
        '      body: joi.object<{ sku: string }, true>({ sku: joi.string().maxChars(40).required() }),',
        '    },',
        '    responses: {',
        '      201: {',
        "        description: 'Created',",
        '        schema: orderSchema,',
        "        headers: { Location: { description: 'The new order' } },",
        '      },',
        '    },',
        "    errors: ['DATABASE_UNAVAILABLE'],",
        '    handler: async ({ body, principal }) => {',
        '      const order: Order = { id: String(orders.size + 1), sku: body.sku, owner: principal.userId };',
        '      orders.set(order.id, order);',
        '      return { status: 201, body: order, headers: { Location: `/api/v1/orders/${order.id}` } };',
        '    },',
        '  });',
      ].join('\n'),
    );
    expect(migrated).to.include(
      "  const ordersRoutes = createRouteGroup({\n    basePath: '/api/v1/orders',\n    auth,\n    routes: [createOrder],\n    tag: { name: 'orders', description: 'orders' },\n  });",
    );
    expect(migrated).to.include("    version: '1.0.0',\n    routeGroups: [ordersRoutes],\n  });");
    expect(migrated).to.not.match(/\bvalidate\b|\bgetPrincipal\b|createOpenApiDocument\(\{[^}]*\broutes: \[/);
    expect(tsc(orders.dir).stdout).to.equal('');
  });

  it('registers the registry of each service code a declared route names (ErrorRegistries), where it is defined, once', async () => {
    const errors = [
      "import { defineErrorCodes } from '@org/platform'",
      '',
      'export const orderErrors = defineErrorCodes({',
      "  ORDER_NOT_FOUND: { status: 404, message: 'Order not found', description: 'No such order.' },",
      '})',
      '',
      '// Codes no route names: their registry is left as it is.',
      'export const billingErrors = defineErrorCodes({',
      "  INVOICE_NOT_FOUND: { status: 404, message: 'Invoice not found', description: 'No such invoice.' },",
      '})',
      '',
    ].join('\n');
    const orders = fixture('orders.ts')
      .replace(
        "from '@org/platform';",
        "from '@org/platform';\nimport { billingErrors, orderErrors } from './errors.js';",
      )
      .replace('routes: [', 'errorCodes: [orderErrors, billingErrors],\n    routes: [')
      .replace(
        "errors: { 503: 'DATABASE_UNAVAILABLE: the database cannot be reached.' },",
        "errors: { 404: 'ORDER_NOT_FOUND: no such order.', 503: 'DATABASE_UNAVAILABLE: the database cannot be reached.' },",
      );
    const service = project({ 'src/orders.ts': orders, 'src/errors.ts': errors });
    const run = await runInProcess(MIGRATE, service.dir);
    expect(run.code).to.equal(0);
    expect(readFileSync(join(service.dir, 'src/orders.ts'), 'utf8')).to.include(
      "    errors: ['ORDER_NOT_FOUND', 'DATABASE_UNAVAILABLE'],\n",
    );
    const registered = readFileSync(join(service.dir, 'src/errors.ts'), 'utf8');
    // The file's own style (no semicolons); the platform's codes need no registration.
    expect(registered).to.equal(
      `${errors}\n// Routes' \`errors\` may name these codes (@org/platform 1.0 checks them when compiling).\ndeclare module '@org/platform' {\n  interface ErrorRegistries {\n    readonly orderErrors: typeof orderErrors\n  }\n}\n`,
    );
    expect(tsc(service.dir).stdout).to.equal('');
    const again = await runInProcess(MIGRATE, service.dir);
    expect(again.stdout).to.include('no file changed');
    expect(readFileSync(join(service.dir, 'src/errors.ts'), 'utf8')).to.equal(registered);
  });

  it('leaves a route it cannot rewrite safely compiling and marked TODO(org-platform), lists it as file:line with the note, and marks it once', async () => {
    const unsafe = project({ 'src/things.ts': fixture('unsafe.ts') });
    const run = await runCli(MIGRATE, { cwd: unsafe.dir });
    expect(run.code).to.equal(0);
    const text = readFileSync(join(unsafe.dir, 'src/things.ts'), 'utf8');
    const lines = text.split('\n');
    const marker = lines.findIndex((line) => line.includes('TODO(org-platform)'));
    // On its own lines, at most 100 columns, above the route.
    expect(lines.slice(marker, marker + 3)).to.deep.equal([
      '// TODO(org-platform): ORG_PLATFORM_DEP001: GET /api/v1/things/:id: res.json(thing) answers from',
      '//   inside a callback; declare this route with defineRoute() by hand',
      "router.get('/api/v1/things/:id', getThing, (req, res) => {",
    ]);
    expect(text.replace(`${lines[marker]!}\n${lines[marker + 1]!}\n`, '')).to.equal(fixture('unsafe.ts'));
    expect(run.stdout).to.include(
      '  src/things.ts:7  GET /api/v1/things/:id: res.json(thing) answers from inside a callback\n',
    );
    expect(run.stdout).to.include(
      'converted 0 of 1 route; 1 left: GET /api/v1/things/:id (src/things.ts:7): res.json(thing) answers from inside a callback\n',
    );
    expect(run.stdout).to.include('route-declaration: Declare the route once: defineRoute(');
    expect(tsc(unsafe.dir).stdout).to.equal('');
    const again = await runInProcess(MIGRATE, unsafe.dir);
    expect(readFileSync(join(unsafe.dir, 'src/things.ts'), 'utf8')).to.equal(text);
    expect(again.stdout).to.include(
      '  src/things.ts:9  GET /api/v1/things/:id: res.json(thing) answers from inside a callback\n',
    );
  });

  it('rewrites JavaScript too, with the syntactic rules (no types, so no response schema)', async () => {
    const js = project({ 'src/greeter.mjs': fixture('greeter.mjs') }, { tsconfig: false });
    const run = await runInProcess(MIGRATE, js.dir);
    expect(run.code).to.equal(0);
    const migrated = readFileSync(join(js.dir, 'src/greeter.mjs'), 'utf8');
    expect(migrated).to.include(
      "  responses: { 200: { description: 'OK' } },\n  handler: ({ query }) => {\n    return { status: 200, body: { greeting: `hello ${query.name}` } };\n  },",
    );
    const { app } = (await import(pathToFileURL(join(js.dir, 'src/greeter.mjs')).href)) as { app: never };
    expect(await answers(app, [['GET', '/api/v1/greeting?name=ann']])).to.deep.equal([
      { status: 200, location: null, item: null, allow: null, json: { greeting: 'hello ann' } },
    ]);
  });

  it('prints a unified diff and writes nothing with --dry-run; only the given paths are read', async () => {
    const dry = project({ 'src/catalog.ts': fixture('catalog.ts'), 'src/other/greeter.mjs': fixture('greeter.mjs') });
    const run = await runInProcess([...MIGRATE, '--dry-run', 'src/other'], dry.dir);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.match(/^--- a\/src\/other\/greeter\.mjs\n\+\+\+ b\/src\/other\/greeter\.mjs\n@@ -/m);
    expect(run.stdout).to.include(
      "\n-const greet = validate({ query: joi.object({ name: joi.string().default('world') }) });\n",
    );
    expect(run.stdout).to.include('\n+const greet = defineRoute({\n');
    expect(run.stdout).to.include('would change 1 file: src/other/greeter.mjs');
    expect(readFileSync(join(dry.dir, 'src/other/greeter.mjs'), 'utf8')).to.equal(fixture('greeter.mjs'));
    expect(readFileSync(join(dry.dir, 'src/catalog.ts'), 'utf8')).to.equal(fixture('catalog.ts'));
  });

  it('does not crash on the inputs that once aborted it: two RouteDescription arrays in one file, and a route left plus an empty document in one file', async () => {
    const minimal = project({
      'src/two.ts': fixture('two-description-arrays.ts'),
      'src/todo.ts': fixture('todo-and-empty-document.ts'),
    });
    const run = await runInProcess([...MIGRATE, '--json'], minimal.dir);
    expect(run.code).to.equal(0);
    const report = JSON.parse(run.stdout) as {
      routes: { path: string; route: string; converted: boolean; reason: string | null }[];
      failed: unknown[];
      summary: string;
    };
    expect(report.failed).to.deep.equal([]);
    expect(report.routes.map((r) => [r.path, r.route, r.converted])).to.deep.equal([
      ['src/todo.ts', '/api/v1/things/:id', false],
      ['src/two.ts', '/things', true],
      ['src/two.ts', '/things/:id', true],
    ]);
    expect(report.routes[0]!.reason).to.include('answers from inside a callback');
    const two = readFileSync(join(minimal.dir, 'src/two.ts'), 'utf8');
    // Both arrays emptied: they go, and the document reads the group.
    expect(two).to.not.match(/RouteDescription|catalogDocs|thingDocs|validate/);
    expect(two).to.match(/routeGroups: \[v1Routes\]/);
    expect(tsc(minimal.dir).stdout).to.equal('');
  });

  it('skips node_modules and the build output', async () => {
    const built = project({ 'src/greeter.mjs': fixture('greeter.mjs') });
    mkdirSync(join(built.dir, 'dist'));
    copyFileSync(join(built.dir, 'src/greeter.mjs'), join(built.dir, 'dist/greeter.mjs'));
    const run = await runInProcess([...MIGRATE, '--dry-run'], built.dir);
    expect(run.stdout).to.include('would change 1 file: src/greeter.mjs');
  });
});
