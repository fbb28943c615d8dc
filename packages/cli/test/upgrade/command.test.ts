import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConsumerProject, type ConsumerProject } from '../fixtures/consumer-project.js';
import { runCli } from '../fixtures/run-cli.js';
import { serve, type Running } from '../fixtures/services.js';

// The consumer links the workspace's platform, so it is "installed" at the workspace's version;
// the registry also knows the next minor, newer than any migration this CLI carries.
const CURRENT: string = JSON.parse(
  readFileSync(new URL('../../../platform/package.json', import.meta.url), 'utf8'),
).version;
const NEXT = CURRENT.replace(
  /^(\d+)\.(\d+)\.\d+.*$/,
  (_all, major: string, minor: string) => `${major}.${Number(minor) + 1}.0`,
);

const git = (dir: string, ...args: string[]) => {
  const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
};

const packumentOf = (name: string, versions: readonly string[], latest: string, extra: object = {}) =>
  JSON.stringify({
    name,
    'dist-tags': { latest },
    versions: Object.fromEntries(
      versions.map((version) => [
        version,
        {
          name,
          version,
          ...extra,
          dist: { tarball: `http://127.0.0.1:9/none-${version}.tgz`, shasum: '0'.repeat(40) },
        },
      ]),
    ),
  });

// A registry that knows @org/platform CURRENT and NEXT (packuments only: installs fail, on purpose),
// and an npm far newer than this one: npm's update notifier, on a machine that has not turned it
// off, prints "New major version of npm available!" on stderr at the end of every command.
function registry(): Promise<Running> {
  const packuments = new Map([
    [
      '/@org/platform',
      packumentOf('@org/platform', [CURRENT, NEXT], NEXT, { peerDependencies: { express: '^5.0.0' } }),
    ],
    ['/npm', packumentOf('npm', ['99.0.0'], '99.0.0')],
  ]);
  return serve((req, res) => {
    const packument = packuments.get(decodeURIComponent(req.url ?? ''));
    if (packument !== undefined) {
      res.setHeader('content-type', 'application/json');
      // The notifier's question goes out first; npm prints its answer when the command ends.
      setTimeout(() => res.end(packument), req.url === '/npm' ? 0 : 100);
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
    project = createConsumerProject(
      { 'src/main.ts': 'export const answer = 42;\n', '.gitignore': 'node_modules/\ndist/\n' },
      {
        packageJson: {
          name: 'consumer',
          version: '1.0.0',
          private: true,
          type: 'module',
          dependencies: { '@org/platform': CURRENT, express: '5.3.0' },
        },
      },
    );
    // The registry for everything (npm's own packument too), as a company mirror would be.
    writeFileSync(join(project.dir, '.npmrc'), `registry=${fake.url}/\nfetch-retries=0\n`);
    writeFileSync(join(project.dir, '.gitignore'), 'node_modules/\ndist/\n.home/\n');
    git(project.dir, 'init', '-q');
    git(project.dir, 'add', '-A');
    git(project.dir, 'commit', '-qm', 'consumer');
    // A fresh machine: an empty HOME and user config (nothing turns the update notifier off), a new
    // cache (the notifier asks once a week per cache), and not CI (where npm stays quiet).
    const home = join(project.dir, '.home');
    mkdirSync(home);
    writeFileSync(join(home, '.npmrc'), '');
    env = {
      HOME: home,
      npm_config_userconfig: join(home, '.npmrc'),
      npm_config_cache: join(home, '.npm'),
      npm_config_update_notifier: undefined,
      CI: 'false',
    };
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

  it("with --allow-dirty resolves latest in the project's registry, detects npm, and refuses a target newer than the migrations it carries", async () => {
    writeFileSync(join(project.dir, 'notes.txt'), 'untracked\n');
    const run = await runCli(['upgrade', '--allow-dirty'], { cwd: project.dir, env });
    expect(run.stdout).to.include(
      `@org/platform: installed ${CURRENT}, target ${NEXT} (latest); package manager npm (no lockfile: npm)`,
    );
    // The CLI in the workspace carries no migrations for the next release, and says which CLI does.
    expect(run.stderr).to.equal(
      `this CLI (${CURRENT}) carries the migrations up to @org/platform ${CURRENT}, not ${NEXT}: run npx @org/platform-cli@${NEXT} upgrade --to ${NEXT}\n`,
    );
    expect(run.code).to.equal(1);
    expect(readFileSync(join(project.dir, 'package.json'), 'utf8')).to.include(`"@org/platform": "${CURRENT}"`);
  });

  it("reads npm's answer from its stdout while npm prints an update notice on stderr (a fresh machine)", async () => {
    rmSync(join(project.dir, '.home', '.npm'), { recursive: true, force: true });
    // Not spawnSync: the registry answers from this very process.
    const npm = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('npm', ['view', '@org/platform', 'version', '--json'], {
        cwd: project.dir,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', () => resolve({ stdout, stderr }));
    });
    // The premise: npm really does print the notice here, on stderr, beside its JSON on stdout.
    expect(npm.stderr).to.include('New major version of npm available!');
    expect(JSON.parse(npm.stdout)).to.equal(NEXT);
    rmSync(join(project.dir, '.home', '.npm'), { recursive: true, force: true });
    const run = await runCli(['upgrade', '--allow-dirty'], { cwd: project.dir, env });
    expect(run.stdout).to.include(`@org/platform: installed ${CURRENT}, target ${NEXT} (latest)`);
    expect(run.stderr).to.not.include('JSON');
  });

  it("shows npm's own reason, in full, when npm view fails", async () => {
    const run = await runCli(['upgrade', '--to', '0.9.0', '--allow-dirty'], { cwd: project.dir, env });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('npm view @org/platform@0.9.0 version peerDependencies failed (exit 1):');
    expect(run.stderr).to.include('No match found for version 0.9.0');
    expect(run.stderr).to.include('npm error code E404');
  });

  it('says when there is nothing to do, and answers bad usage with exit 2', async () => {
    const same = await runCli(['upgrade', '--to', CURRENT, '--allow-dirty'], { cwd: project.dir, env });
    expect(same.stdout).to.include(`already on ${CURRENT}: nothing to install or migrate`);
    expect(same.code).to.equal(0);
    const positional = await runCli(['upgrade', 'latest'], { cwd: project.dir, env });
    expect(positional.code).to.equal(2);
    expect(positional.stderr).to.include('usage: org-platform upgrade');
  });
});
