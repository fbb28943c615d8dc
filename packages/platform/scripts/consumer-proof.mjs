#!/usr/bin/env node
// Consumer and upgrade proof (part of `pnpm run check`, so of the test command):
//  1. a throwaway verdaccio on 127.0.0.1 (installed once into .tools/verdaccio, outside the workspace deps)
//  2. publish the previous version of @org/platform (see previous-version.mjs) with dist-tag `previous`,
//     and the current @org/platform and @org/platform-cli with dist-tag `latest`, under the versions
//     the pending changesets give them (release-plan.mjs)
//  3. generate a consumer service in a temp dir outside the workspace (a git repository), on the
//     previous version by range, written in that release's API (0.x: validate() and noStore from
//     the root; 1.x: declared routes), express/typescript from the public registry and @org scoped
//     to verdaccio
//  4. tsc it, start it, run the conformance kit and `org-platform fleet` against it, stop it
//  5. upgrade with one command, `npx @org/platform-cli upgrade --to latest`: it installs, migrates
//     the routes to defineRoute + createRouteGroup (from 0.x; within 1.x the source stays as it
//     is), type-checks; no hand edit
//  6. the same service on the new platform without its migration (what a bare version bump gives):
//     within a breaking line it still works and shows ORG_PLATFORM_DEP001 in fleet; across a major
//     (0.x → 1.0.0) it no longer compiles, on exactly the API the major removed or moved; upgraded,
//     it passes `npx org-platform-conformance`, shows no deprecation, and a second migrate changes nothing
// It runs as on a fresh machine: every child gets a throwaway HOME and npm user config, and is not
// told it runs in CI, so nothing of the developer's machine (an ~/.npmrc that turns npm's update
// notifier off, a login) helps it pass; npm prints its notices as it would for anyone.
// Set KEEP_PROOF=1 to keep the temp dir for inspection.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { consumerFiles } from './consumer-service.mjs';
import { buildPreviousVersion } from './previous-version.mjs';
import { packAs, plannedVersions } from './release-plan.mjs';

const pkgDir = resolve(import.meta.dirname, '..');
const root = resolve(pkgDir, '../..');
const VERDACCIO = '6.8.0';
const ORIGIN = 'https://app.example.com';
const started = Date.now();
const children = new Set();

const say = (text) =>
  process.stdout.write(`[consumer-proof ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${text}\n`);

// The throwaway HOME (and npm user config in it) every child gets: set once the work folder exists.
let freshHome;

function makeFreshHome(work) {
  freshHome = join(work, 'home');
  mkdirSync(freshHome);
  writeFileSync(join(freshHome, '.npmrc'), '');
}

// Children get a clean npm environment: pnpm's npm_config_* variables must not leak into npm, and
// (once the work folder exists) nothing of this machine's npm configuration reaches them either.
// CI=false: npm stays quiet in CI (no update notice), and the proof is about a developer's machine.
function cleanEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm|pnpm)_/i.test(key)));
  const fresh =
    freshHome === undefined
      ? {}
      : { HOME: freshHome, USERPROFILE: freshHome, npm_config_userconfig: join(freshHome, '.npmrc'), CI: 'false' };
  return { ...env, ...fresh, npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

/** Runs a command; resolves with its output, rejects with it on a non-zero exit. */
export function sh(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: cleanEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolvePromise(out)
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${out.slice(-4000)}`)),
    );
  });
}

function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

async function waitFor(url, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

async function ensureVerdaccio() {
  const dir = join(root, '.tools', 'verdaccio');
  const bin = join(dir, 'node_modules', '.bin', 'verdaccio');
  if (existsSync(bin)) return bin;
  say(`installing verdaccio ${VERDACCIO} into .tools/verdaccio (once; node-fetch overridden to 2.7.0 for Node 20)`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'verdaccio-host', private: true, version: '0.0.0', dependencies: { verdaccio: VERDACCIO }, overrides: { 'node-fetch': '2.7.0' } }, null, 2)}\n`,
  );
  await sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
  return bin;
}

async function startRegistry(work) {
  const bin = await ensureVerdaccio();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const config = join(work, 'verdaccio.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(work, 'storage')}`,
      `auth: { htpasswd: { file: ${join(work, 'htpasswd')}, max_users: 1 } }`,
      'uplinks: {}',
      "packages: { '@*/*': { access: $all, publish: $authenticated }, '**': { access: $all, publish: $authenticated } }",
      'middlewares: { audit: { enabled: false } }',
      'log: { type: stdout, format: pretty, level: error }',
      'publish: { allow_offline: true }',
      '',
    ].join('\n'),
  );
  const child = spawn(bin, ['--config', config, '--listen', `127.0.0.1:${port}`], { env: cleanEnv(), stdio: 'ignore' });
  children.add(child);
  child.on('exit', () => children.delete(child));
  await waitFor(`${url}-/ping`, 20_000);
  const res = await fetch(`${url}-/user/org.couchdb.user:proof`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'proof', password: 'proof-password-123' }),
  });
  const { token } = await res.json();
  if (typeof token !== 'string') throw new Error(`verdaccio gave no token (${res.status})`);
  // The publisher's credentials live in a throwaway userconfig, never in a repo's .npmrc.
  const userconfig = join(work, 'publisher.npmrc');
  writeFileSync(userconfig, `//127.0.0.1:${port}/:_authToken=${token}\n`);
  return { url, port, userconfig };
}

async function publish(registry, tarballOrFolder, tag) {
  await sh('npm', ['publish', tarballOrFolder, '--registry', registry.url, '--tag', tag, '--ignore-scripts'], {
    env: { npm_config_userconfig: registry.userconfig },
  });
}

// npx keeps what it installs in <cache>/_npx, by spec: a CLI of the same version from an earlier
// run would be reused. The proof's npm gets a cache of its own (so npm's update notifier, which asks
// once a week per cache, asks) whose content store is this machine's: packages by hash, nothing else.
async function npxCache(work) {
  const shared = (
    await sh('npm', ['config', 'get', 'cache'], {
      env: {
        HOME: process.env.HOME ?? '',
        USERPROFILE: process.env.USERPROFILE ?? '',
        npm_config_userconfig: undefined,
      },
    })
  ).trim();
  const dir = join(work, 'npm-cache');
  mkdirSync(join(shared, '_cacache'), { recursive: true });
  mkdirSync(dir);
  symlinkSync(join(shared, '_cacache'), join(dir, '_cacache'), 'dir');
  return dir;
}

const git = (dir, ...args) =>
  sh('git', ['-c', 'user.name=proof', '-c', 'user.email=proof@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
  });

async function startConsumer(dir) {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: dir,
    env: cleanEnv({ PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', ENVIRONMENT: 'local', CORS_ORIGINS: ORIGIN }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const url = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the consumer did not start within 10 s:\n${output}`)), 10_000);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      for (const line of output.split('\n')) {
        if (!line.includes('"service_listening"')) continue;
        clearTimeout(timer);
        resolvePromise(`http://127.0.0.1:${JSON.parse(line).port}`);
      }
    });
    child.once('exit', (code) => reject(new Error(`the consumer exited (${code}) before listening:\n${output}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error('the consumer did not stop within 5 s of SIGTERM')), 5000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          if (code === 0) resolvePromise();
          else reject(new Error(`the consumer exited ${code} on SIGTERM`));
        });
        child.kill('SIGTERM');
      }),
  };
}

const CONFORMANCE_ARGS = ['--origin', ORIGIN, '--protected', 'GET /api/v1/secret'];
// The first platform commit served /healthz only; the current one mounts /readyz and /version too,
// so after the upgrade the same consumer source must pass with all three required (the kit's default).
const PREVIOUS_ROUTES = ['--require', '/healthz'];

async function buildRunCheck(dir, label, conformance, extraArgs = [], whileRunning = async () => undefined) {
  say(`${label}: tsc`);
  await sh('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: dir });
  const service = await startConsumer(dir);
  say(`${label}: started at ${service.url}; running the conformance kit (${conformance.join(' ')})`);
  try {
    const report = await sh(conformance[0], [...conformance.slice(1), service.url, ...CONFORMANCE_ARGS, ...extraArgs], {
      cwd: dir,
    });
    process.stdout.write(`${report.trimEnd().replace(/^/gm, '    ')}\n`);
    await whileRunning(service.url);
  } finally {
    await service.stop();
  }
  say(`${label}: stopped cleanly`);
}

/** `org-platform fleet --json` over one URL, from the registry's CLI; prints its table too. */
async function fleet(dir, env, url, label) {
  const run = (args) =>
    new Promise((resolvePromise) => {
      const child = spawn('npx', ['--yes', '@org/platform-cli', 'fleet', url, ...args], {
        cwd: dir,
        env: cleanEnv(env),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('close', (code) => resolvePromise({ code, out, err }));
    });
  const table = await run([]);
  say(`fleet ${label} (exit ${table.code}):`);
  process.stdout.write(`${`${table.out}${table.err}`.trimEnd().replace(/^/gm, '    ')}\n`);
  const json = await run(['--json']);
  try {
    return JSON.parse(json.out).services[0];
  } catch {
    throw new Error(`org-platform fleet --json printed no report (exit ${json.code}):\n${json.out}${json.err}`);
  }
}

function installedVersion(dir) {
  return JSON.parse(readFileSync(join(dir, 'node_modules', '@org', 'platform', 'package.json'), 'utf8')).version;
}

// The breaking position of a version: its major, or 0.MINOR before 1.0 (UPGRADING.md).
function breakingLine(version) {
  const [major, minor] = version.split(/[.-]/).map(Number);
  return major === 0 ? `0.${minor}` : String(major);
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'org-platform-proof-'));
  try {
    makeFreshHome(work);
    say(`children run with HOME=${freshHome} and an empty npm user config (as on a fresh machine)`);
    const versions = await plannedVersions({ root, work, sh });
    const current = versions['@org/platform'];
    const cliDir = join(root, 'packages', 'cli');
    // Independent steps run side by side: the registry, the previous version's build, the current packs.
    const [registry, previous, platform, cli] = await Promise.all([
      startRegistry(work).then((r) => (say(`verdaccio up at ${r.url}`), r)),
      buildPreviousVersion({ root, pkgDir, work, say, sh, current }),
      packAs({ pkgDir, work, sh, versions }),
      packAs({ pkgDir: cliDir, work, sh, versions }),
    ]);
    await publish(registry, previous.tarball, 'previous');
    say(`published previous @org/platform@${previous.version} with dist-tag previous (${previous.source})`);
    await publish(registry, platform.dir, 'latest');
    await publish(registry, cli.dir, 'latest');
    say(
      `published current @org/platform@${platform.version} and @org/platform-cli@${cli.version} with dist-tag latest (the versions the pending changesets give them, or their own when none is pending)`,
    );

    const consumer = join(work, 'consumer');
    const typesNode = JSON.parse(
      readFileSync(join(root, 'node_modules', '@types', 'node', 'package.json'), 'utf8'),
    ).version;
    // The consumer is written in the API of the release it starts on: 0.x's route API, or 1.x's declared routes.
    const api = breakingLine(previous.version).startsWith('0.') ? 'legacy' : 'declared';
    for (const [file, text] of Object.entries(consumerFiles({ platformRange: previous.version, typesNode, api }))) {
      mkdirSync(dirname(join(consumer, file)), { recursive: true });
      writeFileSync(join(consumer, file), text);
    }
    // Only @org comes from the private registry; everything else from the public one.
    writeFileSync(join(consumer, '.npmrc'), `@org:registry=${registry.url}\n`);
    const env = { npm_config_cache: await npxCache(work) };
    say(`consumer generated in ${consumer} (outside the workspace); npm install`);
    await sh('npm', ['install', '--no-audit', '--no-fund'], { cwd: consumer, env });
    await git(consumer, 'init', '-q');
    await git(consumer, 'add', '-A');
    await git(consumer, 'commit', '-qm', `consumer-service on @org/platform ${previous.version}`);
    say(`consumer installed @org/platform@${installedVersion(consumer)} (${api} route API), committed to git`);
    let before;
    await buildRunCheck(
      consumer,
      `on ${previous.version}`,
      [process.execPath, join(pkgDir, 'dist', 'testing', 'conformance', 'cli.js')],
      PREVIOUS_ROUTES,
      async (url) => {
        before = await fleet(consumer, env, url, `before the upgrade, on ${previous.version}`);
      },
    );
    expect(
      before.reachable && before.platform_version !== current,
      `fleet before the upgrade: ${JSON.stringify(before)}`,
    );
    const major = breakingLine(previous.version) !== breakingLine(current);
    // The CLI of the new release measures the fleet against it: a service on the previous line is a major behind, with the migrations it needs.
    if (major)
      expect(
        before.behind === 'major' && before.migrations.length > 0,
        `fleet before the upgrade should show a major behind, with its migrations: ${JSON.stringify(before)}`,
      );
    say(`fleet before the upgrade: behind ${before.behind}, migrations ${JSON.stringify(before.migrations)}`);

    say('upgrade: npx @org/platform-cli upgrade --to latest');
    const upgrade = await sh('npx', ['--yes', '@org/platform-cli', 'upgrade', '--to', 'latest'], {
      cwd: consumer,
      env,
    });
    process.stdout.write(`${upgrade.trimEnd().replace(/^/gm, '    ')}\n`);
    const upgraded = installedVersion(consumer);
    expect(upgraded === current, `after the upgrade the consumer has ${upgraded}, expected ${current}`);
    const source = readFileSync(join(consumer, 'src', 'main.ts'), 'utf8');
    expect(
      !/\bvalidate\(|\.values\(req\)/.test(source) &&
        source.includes('defineRoute({') &&
        source.includes('createRouteGroup({'),
      `the upgrade left the deprecated route API in src/main.ts:\n${source}`,
    );
    // noStore comes from where the installed platform exports it: its subpath once the root no longer has it.
    const exportsMap = JSON.parse(
      readFileSync(join(consumer, 'node_modules', '@org', 'platform', 'package.json'), 'utf8'),
    ).exports;
    const noStoreFrom = exportsMap['./http'] === undefined ? '@org/platform' : '@org/platform/http';
    expect(
      new RegExp(`import \\{[^}]*\\bnoStore\\b[^}]*\\} from '${noStoreFrom.replace('/', '\\/')}'`).test(source),
      `noStore is not imported from ${noStoreFrom} after the upgrade:\n${source}`,
    );
    say(`noStore is imported from ${noStoreFrom}`);
    expect(upgrade.includes('tsc --noEmit: passed'), 'the upgrade did not type-check the consumer');
    const diff = (await git(consumer, 'diff', '--', 'src')).trimEnd();
    // Within a 1.x line there is nothing to migrate: the upgrade must leave the source as it was.
    expect(
      api === 'legacy' ? diff !== '' : diff === '',
      api === 'legacy'
        ? 'the upgrade from 0.x changed nothing in src/'
        : `an upgrade within ${breakingLine(current)}.x changed the source:\n${diff}`,
    );
    say(
      diff === ''
        ? `consumer now on @org/platform@${upgraded}; src/ unchanged (nothing to migrate within ${breakingLine(current)}.x)`
        : `consumer now on @org/platform@${upgraded}; src/main.ts declares its route once (git diff):`,
    );
    if (diff !== '') process.stdout.write(`${diff.replace(/^/gm, '    ')}\n`);

    // What a bare version bump (Renovate without its post-upgrade task) leaves: old code, new
    // platform. When the upgrade changed no source, that is what was just checked.
    if (diff !== '') await git(consumer, 'stash', 'push', '-q', '--', 'src');
    let unmigrated = { deprecations: [] };
    if (diff === '') {
      say(`on ${current}, the source needs no migration: the bare bump is the upgraded service`);
    } else if (major) {
      // A major removed what the code uses: the bump alone does not compile, and the errors name that API.
      const bare = await sh('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: consumer }).then(
        (out) => ({ failed: false, out }),
        (error) => ({ failed: true, out: error.message }),
      );
      expect(
        bare.failed && /has no exported member 'validate'/.test(bare.out),
        `the source before its migration should not compile on ${current} (validate() was removed):\n${bare.out}`,
      );
      say(
        `on ${current}, the source before its migration does not compile, as a major's should not: ${bare.out
          .split('\n')
          .filter((line) => line.includes('error TS'))
          .map((line) => line.trim())
          .join('; ')}`,
      );
    } else {
      await buildRunCheck(
        consumer,
        `on ${current}, the source before its migration`,
        ['npx', '--no-install', 'org-platform-conformance'],
        [],
        async (url) => {
          unmigrated = await fleet(consumer, env, url, `on ${current} without the migration`);
        },
      );
      expect(
        unmigrated.platform_version === current && unmigrated.deprecations.includes('ORG_PLATFORM_DEP001'),
        `fleet without the migration: ${JSON.stringify(unmigrated)}`,
      );
    }
    if (diff !== '') await git(consumer, 'stash', 'pop', '-q');

    let after;
    await buildRunCheck(
      consumer,
      `on ${current}, migrated`,
      ['npx', '--no-install', 'org-platform-conformance'],
      [],
      async (url) => {
        after = await fleet(consumer, env, url, `after the upgrade, on ${current}`);
      },
    );
    expect(
      after.ok && after.platform_version === current && after.deprecations.length === 0 && after.behind === 'current',
      `fleet after the upgrade: ${JSON.stringify(after)}`,
    );
    say(
      `fleet: platform ${before.platform_version ?? `none (/version: ${before.error})`} (behind ${before.behind}) → ${after.platform_version} (behind ${after.behind}); deprecations ${JSON.stringify(before.deprecations)} before, ${diff === '' ? 'none to migrate' : major ? 'no build' : JSON.stringify(unmigrated.deprecations)} without the migration → ${JSON.stringify(after.deprecations)} with it`,
    );

    const again = await sh(
      'npx',
      ['--yes', '@org/platform-cli', 'migrate', '--from', previous.version, '--to', current],
      { cwd: consumer, env },
    );
    expect(
      (again.includes('no file changed') || again.includes('no migrations in that range')) &&
        readFileSync(join(consumer, 'src', 'main.ts'), 'utf8') === source,
      `a second migrate changed something:\n${again}`,
    );
    say('a second migrate changes nothing');
    say('consumer and upgrade proofs passed');
  } finally {
    for (const child of children) child.kill('SIGTERM');
    if (process.env.KEEP_PROOF === '1') say(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`\n✖ consumer proof failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
