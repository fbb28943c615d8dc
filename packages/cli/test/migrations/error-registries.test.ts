import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConsumerProject, type ConsumerProject } from '../fixtures/consumer-project.js';
import { runInProcess } from '../fixtures/run-cli.js';

const tsc = (dir: string) =>
  spawnSync(
    process.execPath,
    [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'],
    { cwd: dir, encoding: 'utf8' },
  );

// A service as written by hand on 0.2: its own registry, routes naming its codes (in place, in an
// `as const` constant spread into the array, and in a constant named by the route), and a platform code.
const ERRORS = `import { defineErrorCodes } from '@org/platform';

export const orderErrors = defineErrorCodes({
  ORDER_NOT_FOUND: { status: 404, message: 'Order not found', description: 'No such order.' },
  ORDER_LOCKED: { status: 409, message: 'Order locked', description: 'The order is being shipped.' },
});

export const paymentErrors = defineErrorCodes({
  PAYMENT_DECLINED: { status: 402, message: 'Payment declined', description: 'The card was declined.' },
});

// Defined, but no route names its codes: it needs no registration.
export const unusedErrors = defineErrorCodes({
  NEVER_NAMED: { status: 418, message: 'Never', description: 'No route names it.' },
});
`;

const ROUTES = `import { defineRoute } from '@org/platform';
import { orderErrors } from './errors.js';

const lockedErrors = ['ORDER_LOCKED'] as const;
const paymentCodes = ['PAYMENT_DECLINED'] as const;

export const getOrder = defineRoute({
  method: 'get',
  path: '/orders/:id',
  operationId: 'getOrder',
  summary: 'One order',
  auth: false,
  responses: { 204: { description: 'Found' } },
  errors: ['ORDER_NOT_FOUND', 'BAD_REQUEST', ...lockedErrors],
  handler: () => {
    if (Date.now() < 0) throw orderErrors.create('ORDER_NOT_FOUND');
    return { status: 204 };
  },
});

export const pay = defineRoute({
  method: 'post',
  path: '/orders/:id/payment',
  operationId: 'payOrder',
  summary: 'Pay an order',
  auth: false,
  responses: { 204: { description: 'Paid' } },
  errors: paymentCodes,
  handler: () => ({ status: 204 }),
});
`;

interface RegistryJson {
  migration: string;
  path: string;
  line: number;
  subject: 'registry' | 'code';
  name: string;
  codes: string[];
  converted: boolean;
  reason: string | null;
}

const migrate = async (dir: string) => {
  const run = await runInProcess(['migrate', '--from', '0.2.0', '--to', '1.0.0', '--json'], dir);
  expect(run.code, run.stderr).to.equal(0);
  return JSON.parse(run.stdout) as { files: number; registries: RegistryJson[]; changed: string[]; summary: string };
};

describe('migration error-registries (1.0.0: the registries whose codes routes name → ErrorRegistries)', function () {
  this.timeout(120_000);

  describe('a hand-written 0.2 service with codes of its own', () => {
    let project: ConsumerProject;
    let unmigrated: ReturnType<typeof tsc>;
    let json: Awaited<ReturnType<typeof migrate>>;
    const read = () => readFileSync(join(project.dir, 'src/errors.ts'), 'utf8');

    before(async () => {
      project = createConsumerProject({ 'src/errors.ts': ERRORS, 'src/routes.ts': ROUTES });
      unmigrated = tsc(project.dir);
      json = await migrate(project.dir);
    });
    after(() => project.remove());

    it('does not compile on 1.0 before the migration: the route names unregistered codes', () => {
      expect(unmigrated.status).to.not.equal(0);
      const errors = unmigrated.stdout
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('src/'));
      expect(errors.length).to.be.greaterThan(0);
      expect(errors.every((line) => line.startsWith('src/routes.ts'))).to.equal(true);
      expect(unmigrated.stdout).to.include('ORDER_NOT_FOUND');
    });

    it('registers each registry whose codes the routes name, once, in its own file, and compiles', () => {
      expect(read()).to.equal(
        `${ERRORS}\n// Routes' \`errors\` may name these codes (@org/platform 1.0 checks them when compiling).\ndeclare module '@org/platform' {\n  interface ErrorRegistries {\n    readonly orderErrors: typeof orderErrors;\n    readonly paymentErrors: typeof paymentErrors;\n  }\n}\n`,
      );
      expect(readFileSync(join(project.dir, 'src/routes.ts'), 'utf8')).to.equal(ROUTES);
      const compiled = tsc(project.dir);
      expect(compiled.stdout).to.equal('');
      expect(compiled.status).to.equal(0);
    });

    it('reports each registry registered with the codes the routes name, and no platform code', () => {
      expect(
        json.registries.map(
          (r) => `${r.migration} ${r.path}:${r.line} ${r.subject} ${r.name} [${r.codes.join(' ')}] ${r.converted}`,
        ),
      ).to.deep.equal([
        'error-registries src/errors.ts:3 registry orderErrors [ORDER_NOT_FOUND ORDER_LOCKED] true',
        'error-registries src/errors.ts:8 registry paymentErrors [PAYMENT_DECLINED] true',
      ]);
      expect(json.summary).to.equal('registered 2 of 2 error registries; 0 left');
    });

    it('changes nothing the second time', async () => {
      const first = read();
      const again = await migrate(project.dir);
      expect(again.changed).to.deep.equal([]);
      expect(again.registries).to.deep.equal([]);
      expect(read()).to.equal(first);
    });
  });

  describe('a code no registry of the project defines', () => {
    let project: ConsumerProject;
    let json: Awaited<ReturnType<typeof migrate>>;
    const routes = ROUTES.replace("'ORDER_NOT_FOUND', 'BAD_REQUEST'", "'ORDER_NOT_FOUND', 'ORDER_GONE', 'BAD_REQUEST'");
    const read = () => readFileSync(join(project.dir, 'src/routes.ts'), 'utf8');

    before(async () => {
      project = createConsumerProject({ 'src/errors.ts': ERRORS, 'src/routes.ts': routes });
      json = await migrate(project.dir);
    });
    after(() => project.remove());

    it("is left, marked above the route's errors, with the reason; the registries that define the others are registered", () => {
      expect(read()).to.match(
        /\n {2}\/\/ TODO\(org-platform\): ORDER_GONE is no code of a defineErrorCodes\(\) registry of this project:[^\n]*\n( {2}\/\/ [^\n]*\n)* {2}errors: \['ORDER_NOT_FOUND', 'ORDER_GONE', 'BAD_REQUEST', \.\.\.lockedErrors\],\n/,
      );
      const left = json.registries.filter((r) => !r.converted);
      expect(left.map((r) => `${r.path}:${r.line} ${r.subject} ${r.name}`)).to.deep.equal([
        'src/routes.ts:14 code ORDER_GONE',
      ]);
      expect(left[0]!.reason).to.match(/^no defineErrorCodes\(\) registry of the project defines it/);
      expect(json.registries.filter((r) => r.converted).map((r) => r.name)).to.deep.equal([
        'orderErrors',
        'paymentErrors',
      ]);
      expect(json.summary).to.match(
        /^registered 2 of 2 error registries; 0 left; 1 error code in no registry: ORDER_GONE \(src\/routes\.ts:14\): no defineErrorCodes\(\) registry/,
      );
    });

    it('leaves the project failing only on that code', () => {
      const errors = tsc(project.dir)
        .stdout.trim()
        .split('\n')
        .filter((line) => line.startsWith('src/'));
      expect(errors).to.have.length(1);
      expect(errors[0]).to.match(/^src\/routes\.ts\(\d+,\d+\): error TS\d+: .*ORDER_GONE/);
    });

    it('adds no second marker and no second registration the second time', async () => {
      const first = read();
      const errors = readFileSync(join(project.dir, 'src/errors.ts'), 'utf8');
      const again = await migrate(project.dir);
      expect(again.changed).to.deep.equal([]);
      expect(read()).to.equal(first);
      expect(readFileSync(join(project.dir, 'src/errors.ts'), 'utf8')).to.equal(errors);
      expect(again.registries.map((r) => `${r.name} ${r.converted}`)).to.deep.equal(['ORDER_GONE false']);
    });

    it("prints the code left for people, with the migration's note", async () => {
      const line =
        read()
          .split('\n')
          .findIndex((text) => text.startsWith("  errors: ['ORDER_NOT_FOUND', 'ORDER_GONE'")) + 1;
      const run = await runInProcess(['migrate', '--from', '0.2.0', '--to', '1.0.0'], project.dir);
      expect(run.stdout).to.include(
        `left for you (1, marked TODO(org-platform)):\n  src/routes.ts:${line}  ORDER_GONE: no defineErrorCodes() registry of the project defines it`,
      );
      expect(run.stdout).to.include(
        "  error-registries: 1.0 compiles a route's errors against the registered registries only.",
      );
      expect(run.stdout).to.include(`\n1 error code in no registry: ORDER_GONE (src/routes.ts:${line}): `);
    });
  });

  it('leaves a project whose registries are registered already (in another file, under another key) untouched', async () => {
    const registered = `import type { orderErrors, paymentErrors } from './errors.js';

declare module '@org/platform' {
  interface ErrorRegistries {
    readonly orders: typeof orderErrors;
    readonly payments: typeof paymentErrors;
  }
}
`;
    const project = createConsumerProject({
      'src/errors.ts': ERRORS,
      'src/routes.ts': ROUTES,
      'src/registries.ts': registered,
    });
    try {
      expect(tsc(project.dir).stdout).to.equal('');
      const json = await migrate(project.dir);
      expect(json.changed).to.deep.equal([]);
      expect(json.registries).to.deep.equal([]);
    } finally {
      project.remove();
    }
  });

  it('does nothing in JavaScript: its routes are checked at run time, and there is no type to register', async () => {
    const js = (text: string) => text.replace(/ as const/g, '');
    const project = createConsumerProject(
      { 'src/errors.js': ERRORS, 'src/routes.js': js(ROUTES) },
      { tsconfig: false },
    );
    try {
      const json = await migrate(project.dir);
      expect(json.files).to.equal(2);
      expect(json.changed).to.deep.equal([]);
      expect(json.registries).to.deep.equal([]);
    } finally {
      project.remove();
    }
  });
});
