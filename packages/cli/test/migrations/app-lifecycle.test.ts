import { expect } from 'chai';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createConsumerProject, type ConsumerProject } from '../fixtures/consumer-project.js';
import { writePlatformSurface } from '../fixtures/platform-surface.js';
import { runInProcess } from '../fixtures/run-cli.js';

// Two apps: one passes its lifecycle's own parts (mechanical), the other a health registry of its own (not).
const SOURCE = `import * as platform from '@org/platform';
import { createLifecycle, createServiceApp as serviceApp } from '@org/platform';

const config = platform.loadConfig();
const lifecycle = createLifecycle({ config });
export const app = serviceApp({
  config,
  health: lifecycle.health,
  loadShedder: lifecycle.loadShedder,
  routes: [],
});
const ownHealth = { checks: [] };
export const other = platform.createServiceApp({ config, health: ownHealth, metrics: false, routes: [] });
`;

interface OptionJson {
  migration: string;
  path: string;
  line: number;
  name: string;
  to: string | null;
  converted: boolean;
  reason: string | null;
}

describe('migration app-lifecycle (1.0.0: createServiceApp({ health, loadShedder, observability, metrics }) → { lifecycle })', function () {
  this.timeout(120_000);
  let project: ConsumerProject;
  let json: { options: OptionJson[]; summary: string };
  const read = () => readFileSync(join(project.dir, 'src/app.ts'), 'utf8');

  before(async () => {
    project = createConsumerProject({ 'src/app.ts': SOURCE });
    rmSync(join(project.dir, 'node_modules', '@org', 'platform'), { recursive: true, force: true });
    writePlatformSurface(join(project.dir, 'node_modules', '@org', 'platform'));
    const run = await runInProcess(['migrate', '--from', '0.2.0', '--to', '1.0.0', '--json'], project.dir);
    expect(run.code, run.stderr).to.equal(0);
    json = JSON.parse(run.stdout) as typeof json;
  });
  after(() => project.remove());

  it("passes the lifecycle where every removed option was that lifecycle's own (an aliased import too)", () => {
    expect(read()).to.include('export const app = serviceApp({\n  config,\n  lifecycle,\n  routes: [],\n});\n');
    expect(json.options.filter((o) => o.converted).map((o) => `${o.line} ${o.name} → ${o.to}`)).to.deep.equal([
      '8 createServiceApp({ health }) → createServiceApp({ lifecycle })',
      '9 createServiceApp({ loadShedder }) → createServiceApp({ lifecycle })',
    ]);
  });

  it("leaves a call whose options are not a lifecycle's (through a namespace import), marked with the changelog's rewrite, and lists each option", () => {
    const text = read();
    expect(text).to.match(
      /\/\/ TODO\(org-platform\): createServiceApp\(\{ health \}\) was removed in @org\/platform 1\.0:[\s\S]*\/\/ TODO\(org-platform\): createServiceApp\(\{ metrics \}\) was removed in @org\/platform 1\.0:[\s\S]*\nexport const other = platform\.createServiceApp\(\{ config, health: ownHealth, metrics: false, routes: \[\] \}\);/,
    );
    expect(json.options.filter((o) => !o.converted).map((o) => `${o.line} ${o.name}`)).to.deep.equal([
      '13 createServiceApp({ health })',
      '13 createServiceApp({ metrics })',
    ]);
    expect(json.summary).to.match(
      /^rewrote 2 of 4 removed options; 2 left: createServiceApp\(\{ health \}\) \(src\/app\.ts:13\): not the same lifecycle's own health \(health: ownHealth\)/,
    );
  });

  it('changes nothing the second time', async () => {
    const first = read();
    const again = await runInProcess(['migrate', '--from', '0.2.0', '--to', '1.0.0'], project.dir);
    expect(again.stdout).to.include('no file changed');
    expect(read()).to.equal(first);
  });
});
