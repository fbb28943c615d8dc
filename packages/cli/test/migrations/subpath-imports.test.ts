import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createConsumerProject, type ConsumerProject } from '../fixtures/consumer-project.js';
import { writePlatformSurface } from '../fixtures/platform-surface.js';
import { runInProcess } from '../fixtures/run-cli.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/projects/${name}`, import.meta.url), 'utf8');
const tsc = (dir: string) =>
  spawnSync(
    process.execPath,
    [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'],
    { cwd: dir, encoding: 'utf8' },
  );

interface ImportJson {
  migration: string;
  path: string;
  line: number;
  name: string;
  from: string;
  to: string | null;
  converted: boolean;
  reason: string | null;
}

describe('migration subpath-imports (1.0.0: names moved out of the root → their subpaths)', function () {
  this.timeout(120_000);
  let project: ConsumerProject;
  let json: { imports: ImportJson[]; routes: unknown[]; summary: string; changed: string[] };
  const read = (file: string) => readFileSync(join(project.dir, file), 'utf8');

  before(async () => {
    project = createConsumerProject({
      'src/app.ts': fixture('subpaths.ts'),
      'src/headers.mjs': fixture('subpaths-testing.mjs'),
    });
    // The platform as 1.0 lays out its entry points (see the fixture), installed in place of the workspace's.
    rmSync(join(project.dir, 'node_modules', '@org', 'platform'), { recursive: true, force: true });
    writePlatformSurface(join(project.dir, 'node_modules', '@org', 'platform'));
    const run = await runInProcess(['migrate', '--from', '0.2.0', '--to', '1.0.0', '--json'], project.dir);
    expect(run.code, run.stderr).to.equal(0);
    json = JSON.parse(run.stdout) as typeof json;
  });
  after(() => project.remove());

  it('splits named imports by entry point, keeping aliases and type-only names, and merges into an import of the target that is already there', () => {
    const app = read('src/app.ts');
    expect(app).to.include(
      "import { createServiceApp, createLogger } from '@org/platform';\nimport { retryDelay as delay } from '@org/platform/client';\nimport { type JsonSchema } from '@org/platform/openapi';\n",
    );
    expect(app).to.include(
      "import type { Logger } from '@org/platform';\nimport type { ErrorBody } from '@org/platform/errors';\n",
    );
    // accessLog joins the service's own import of @org/platform/http.
    expect(app).to.include("import { noStore, accessLog } from '@org/platform/http';\n");
    expect(read('src/headers.mjs')).to.include(
      'import { createServiceApp } from "@org/platform";\nimport { propagationHeaders } from "@org/platform/client";\n',
    );
  });

  it('rewrites re-exports and the uses of a namespace import (values and types) through a namespace import of the target', () => {
    const app = read('src/app.ts');
    expect(app).to.include(
      "export { toJsonSchema } from '@org/platform/openapi';\nexport { corsPolicy as cors } from '@org/platform/http';\n",
    );
    expect(app).to.include("export type { RequestContext } from '@org/platform/context';\n");
    expect(app).to.include(
      "import * as platform from '@org/platform';\nimport * as platformClient from '@org/platform/client';\nimport * as platformHttp from '@org/platform/http';\n",
    );
    expect(app).to.include(
      "export const parsed = platformClient.parseRetryAfter('5');\nexport const shed: platformHttp.LoadShedder = {};\nexport const config = platform.loadConfig();\n",
    );
  });

  it('leaves the import of a name 1.0 made internal, marked with the reason, and reports it as left; the rest compiles', () => {
    const app = read('src/app.ts');
    expect(app).to.match(
      /\/\/ TODO\(org-platform\): createHealthRouter is internal in @org\/platform 1\.0: createServiceApp mounts\n\/\/ +\/healthz, \/readyz and \/version; no service mounts them by hand\nimport \{ createHealthRouter, loadConfig \} from '@org\/platform';/,
    );
    const left = json.imports.filter((item) => !item.converted);
    expect(left).to.deep.equal([
      {
        migration: 'subpath-imports',
        path: 'src/app.ts',
        line: 6,
        name: 'createHealthRouter',
        from: '@org/platform',
        to: null,
        converted: false,
        reason:
          'createHealthRouter is no longer exported by @org/platform in 1.0 (createServiceApp mounts /healthz, /readyz and /version; no service mounts them by hand)',
      },
    ]);
    // The one compile error is the internal name's: every rewritten import resolves.
    const errors = tsc(project.dir).stdout.trim().split('\n');
    expect(errors).to.have.length(1);
    expect(errors[0]).to.match(
      /src\/app\.ts\(\d+,\d+\): error TS2305: Module '"@org\/platform"' has no exported member 'createHealthRouter'\./,
    );
  });

  it('reports each name as the route migration reports routes: per item, and one summary line', () => {
    const moved = json.imports
      .filter((item) => item.converted)
      .map((item) => `${item.path}:${item.line} ${item.name} → ${item.to}`);
    expect(moved).to.deep.equal([
      'src/app.ts:2 accessLog → @org/platform/http',
      'src/app.ts:2 retryDelay → @org/platform/client',
      'src/app.ts:2 JsonSchema → @org/platform/openapi',
      'src/app.ts:3 ErrorBody → @org/platform/errors',
      'src/app.ts:8 toJsonSchema → @org/platform/openapi',
      'src/app.ts:8 corsPolicy → @org/platform/http',
      'src/app.ts:9 RequestContext → @org/platform/context',
      'src/app.ts:19 parseRetryAfter → @org/platform/client',
      'src/app.ts:20 LoadShedder → @org/platform/http',
      'src/headers.mjs:2 propagationHeaders → @org/platform/client',
    ]);
    expect(json.routes).to.deep.equal([]);
    expect(json.changed).to.deep.equal(['src/app.ts', 'src/headers.mjs']);
    expect(json.summary).to.equal(
      'moved 10 of 11 imports; 1 left: createHealthRouter (src/app.ts:6): createHealthRouter is no longer exported by @org/platform in 1.0 (createServiceApp mounts /healthz, /readyz and /version; no service mounts them by hand)',
    );
  });

  it('changes nothing the second time, and prints the run for people', async () => {
    const first = [read('src/app.ts'), read('src/headers.mjs')];
    const again = await runInProcess(['migrate', '--from', '0.2.0', '--to', '1.0.0'], project.dir);
    expect(again.stdout).to.include('no file changed');
    expect(again.stdout, again.stdout).to.include(
      'left for you (1, marked TODO(org-platform)):\n  src/app.ts:13  createHealthRouter (@org/platform): createHealthRouter is no longer exported',
    );
    expect(again.stdout).to.match(/moved 0 of 1 import; 1 left: createHealthRouter/);
    expect([read('src/app.ts'), read('src/headers.mjs')]).to.deep.equal(first);
  });

  it('moves nothing against a platform without the subpaths (0.x installed): the rewrite would not compile, so each name is left with that reason', async () => {
    const old = createConsumerProject(
      {
        'src/app.ts':
          "import { accessLog, createServiceApp } from '@org/platform';\nexport const app = createServiceApp({ config: {} as never, logger: {} as never, routes: [] });\nexport const log = accessLog;\n",
      },
      { platform: 'previous' },
    );
    try {
      const run = await runInProcess(['migrate', '--from', '0.2.0', '--to', '1.0.0', '--json'], old.dir);
      const result = JSON.parse(run.stdout) as typeof json;
      expect(result.changed).to.deep.equal([]);
      expect(result.imports).to.have.length(1);
      expect(result.imports[0]).to.include({ name: 'accessLog', converted: false });
      expect(result.imports[0]!.reason).to.match(
        /^the rewritten import would not compile \(Cannot find module '@org\/platform\/http'.*\): is @org\/platform 1\.0 installed\?$/,
      );
    } finally {
      old.remove();
    }
  });
});
