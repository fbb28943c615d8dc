import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConsumerProject, type ConsumerProject } from '../fixtures/consumer-project.js';
import { runCli } from '../fixtures/run-cli.js';
import { serve, type Running } from '../fixtures/services.js';

const git = (dir: string, ...args: string[]) => {
  const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
};

// A registry that knows @org/platform 0.1.0 and 0.2.0 (packuments only: installs fail, on purpose).
function registry(): Promise<Running> {
  const versions = Object.fromEntries(['0.1.0', '0.2.0'].map((version) => [version, { name: '@org/platform', version, peerDependencies: { express: '^5.0.0' }, dist: { tarball: `http://127.0.0.1:9/none-${version}.tgz`, shasum: '0'.repeat(40) } }]));
  const packument = JSON.stringify({ name: '@org/platform', 'dist-tags': { latest: '0.2.0' }, versions });
  return serve((req, res) => {
    if (decodeURIComponent(req.url ?? '') === '/@org/platform') {
      res.setHeader('content-type', 'application/json');
      res.end(packument);
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
}

describe('org-platform upgrade', function () {
  this.timeout(60_000);
  let project: ConsumerProject;
  let fake: Running;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    fake = await registry();
    project = createConsumerProject({ 'src/main.ts': 'export const answer = 42;\n', '.gitignore': 'node_modules/\ndist/\n' }, { packageJson: { name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies: { '@org/platform': '0.1.0', express: '5.3.0' } } });
    writeFileSync(join(project.dir, '.npmrc'), `@org:registry=${fake.url}/\nfetch-retries=0\n`);
    git(project.dir, 'init', '-q');
    git(project.dir, 'add', '-A');
    git(project.dir, 'commit', '-qm', 'consumer');
    env = { npm_config_cache: join(project.dir, '.npm-cache'), npm_config_update_notifier: 'false' };
  });
  after(async () => {
    project.remove();
    await fake.stop();
  });

  it('refuses a dirty git tree, listing what is uncommitted, and changes nothing', async () => {
    appendFileSync(join(project.dir, 'src/main.ts'), 'export const question = "?";\n');
    const run = await runCli(['upgrade'], { cwd: project.dir, env });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('refusing to upgrade: the git tree has uncommitted changes');
    expect(run.stderr).to.include(' M src/main.ts');
    expect(run.stderr).to.include('--allow-dirty');
    expect(run.stdout).to.equal('');
    git(project.dir, 'checkout', '--', 'src/main.ts');
  });

  it('with --allow-dirty resolves latest in the project\'s registry, detects npm, and refuses a target newer than the migrations it carries', async () => {
    writeFileSync(join(project.dir, 'notes.txt'), 'untracked\n');
    const run = await runCli(['upgrade', '--allow-dirty'], { cwd: project.dir, env });
    expect(run.stdout).to.include('@org/platform: installed 0.1.0, target 0.2.0 (latest); package manager npm (no lockfile: npm)');
    // The CLI in the workspace is 0.1.0: it carries no migrations for 0.2.0 and says which CLI does.
    expect(run.stderr).to.equal('this CLI (0.1.0) carries the migrations up to @org/platform 0.1.0, not 0.2.0: run npx @org/platform-cli@0.2.0 upgrade --to 0.2.0\n');
    expect(run.code).to.equal(1);
    expect(readFileSync(join(project.dir, 'package.json'), 'utf8')).to.include('"@org/platform": "0.1.0"');
  });

  it('says when there is nothing to do, and answers bad usage with exit 2', async () => {
    const same = await runCli(['upgrade', '--to', '0.1.0', '--allow-dirty'], { cwd: project.dir, env });
    expect(same.stdout).to.include('already on 0.1.0: nothing to install or migrate');
    expect(same.code).to.equal(0);
    const positional = await runCli(['upgrade', 'latest'], { cwd: project.dir, env });
    expect(positional.code).to.equal(2);
    expect(positional.stderr).to.include('usage: org-platform upgrade');
  });
});
