#!/usr/bin/env node
// Consumer and upgrade proof (part of `pnpm run check`, so of the test command):
//  1. a throwaway verdaccio on 127.0.0.1 (installed once into .tools/verdaccio, outside the workspace deps)
//  2. publish the previous version of @org/platform (see previous-version.mjs) with dist-tag `previous`
//     and the current build with dist-tag `latest`
//  3. generate a consumer service in a temp dir outside the workspace, depending on the previous
//     version by range, with express/typescript from the public registry and @org scoped to verdaccio
//  4. tsc it, start it, run the conformance kit against it, stop it
//  5. upgrade with one command, `npm install @org/platform@latest`, then tsc, start, `npx org-platform-conformance`
// Set KEEP_PROOF=1 to keep the temp dir for inspection.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { consumerFiles } from './consumer-service.mjs';
import { buildPreviousVersion } from './previous-version.mjs';

const pkgDir = resolve(import.meta.dirname, '..');
const root = resolve(pkgDir, '../..');
const VERDACCIO = '6.8.0';
const ORIGIN = 'https://app.example.com';
const started = Date.now();
const children = new Set();

const say = (text) => process.stdout.write(`[consumer-proof ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${text}\n`);

// Children get a clean npm environment: pnpm's npm_config_* variables must not leak into npm.
function cleanEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm|pnpm)_/i.test(key)));
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

/** Runs a command; resolves with its output, rejects with it on a non-zero exit. */
export function sh(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(out) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${out.slice(-4000)}`))));
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
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'verdaccio-host', private: true, version: '0.0.0', dependencies: { verdaccio: VERDACCIO }, overrides: { 'node-fetch': '2.7.0' } }, null, 2)}\n`);
  await sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
  return bin;
}

async function startRegistry(work) {
  const bin = await ensureVerdaccio();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const config = join(work, 'verdaccio.yaml');
  writeFileSync(config, [
    `storage: ${join(work, 'storage')}`,
    `auth: { htpasswd: { file: ${join(work, 'htpasswd')}, max_users: 1 } }`,
    'uplinks: {}',
    "packages: { '@*/*': { access: $all, publish: $authenticated }, '**': { access: $all, publish: $authenticated } }",
    'middlewares: { audit: { enabled: false } }',
    'log: { type: stdout, format: pretty, level: error }',
    'publish: { allow_offline: true }',
    '',
  ].join('\n'));
  const child = spawn(bin, ['--config', config, '--listen', `127.0.0.1:${port}`], { env: cleanEnv(), stdio: 'ignore' });
  children.add(child);
  child.on('exit', () => children.delete(child));
  await waitFor(`${url}-/ping`, 20_000);
  const res = await fetch(`${url}-/user/org.couchdb.user:proof`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'proof', password: 'proof-password-123' }) });
  const { token } = await res.json();
  if (typeof token !== 'string') throw new Error(`verdaccio gave no token (${res.status})`);
  // The publisher's credentials live in a throwaway userconfig, never in a repo's .npmrc.
  const userconfig = join(work, 'publisher.npmrc');
  writeFileSync(userconfig, `//127.0.0.1:${port}/:_authToken=${token}\n`);
  return { url, port, userconfig };
}

async function publish(registry, tarball, tag) {
  await sh('npm', ['publish', tarball, '--registry', registry.url, '--tag', tag], { env: { npm_config_userconfig: registry.userconfig } });
}

async function startConsumer(dir) {
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: dir, env: cleanEnv({ PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', ENVIRONMENT: 'local', CORS_ORIGINS: ORIGIN }), stdio: ['ignore', 'pipe', 'pipe'] });
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
    stop: () => new Promise((resolvePromise, reject) => {
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

async function buildRunCheck(dir, label, conformance, extraArgs = []) {
  say(`${label}: tsc`);
  await sh('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: dir });
  const service = await startConsumer(dir);
  say(`${label}: started at ${service.url}; running the conformance kit (${conformance.join(' ')})`);
  try {
    const report = await sh(conformance[0], [...conformance.slice(1), service.url, ...CONFORMANCE_ARGS, ...extraArgs], { cwd: dir });
    process.stdout.write(`${report.trimEnd().replace(/^/gm, '    ')}\n`);
  } finally {
    await service.stop();
  }
  say(`${label}: stopped cleanly`);
}

function installedVersion(dir) {
  return JSON.parse(readFileSync(join(dir, 'node_modules', '@org', 'platform', 'package.json'), 'utf8')).version;
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'org-platform-proof-'));
  try {
    // Independent steps run side by side: the registry, the previous version's build, the current pack.
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    const [registry, previous] = await Promise.all([
      startRegistry(work).then((r) => (say(`verdaccio up at ${r.url}`), r)),
      buildPreviousVersion({ root, pkgDir, work, say, sh }),
      sh('pnpm', ['pack', '--pack-destination', tarballs], { cwd: pkgDir }),
    ]);
    await publish(registry, previous.tarball, 'previous');
    say(`published previous @org/platform@${previous.version} with dist-tag previous (${previous.source})`);
    const current = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
    await publish(registry, join(tarballs, readdirSync(tarballs)[0]), 'latest');
    say(`published current @org/platform@${current} with dist-tag latest`);

    const consumer = join(work, 'consumer');
    const typesNode = JSON.parse(readFileSync(join(root, 'node_modules', '@types', 'node', 'package.json'), 'utf8')).version;
    for (const [file, text] of Object.entries(consumerFiles({ platformRange: previous.version, typesNode }))) {
      mkdirSync(dirname(join(consumer, file)), { recursive: true });
      writeFileSync(join(consumer, file), text);
    }
    // Only @org comes from the private registry; everything else from the public one.
    writeFileSync(join(consumer, '.npmrc'), `@org:registry=${registry.url}\n`);
    say(`consumer generated in ${consumer} (outside the workspace); npm install`);
    await sh('npm', ['install', '--no-audit', '--no-fund'], { cwd: consumer });
    say(`consumer installed @org/platform@${installedVersion(consumer)}`);
    await buildRunCheck(consumer, `on ${previous.version}`, [process.execPath, join(pkgDir, 'dist', 'testing', 'conformance', 'cli.js')], PREVIOUS_ROUTES);

    say('upgrade: npm install @org/platform@latest');
    await sh('npm', ['install', '@org/platform@latest', '--no-audit', '--no-fund'], { cwd: consumer });
    const upgraded = installedVersion(consumer);
    if (upgraded !== current) throw new Error(`after the upgrade the consumer has ${upgraded}, expected ${current}`);
    const range = JSON.parse(readFileSync(join(consumer, 'package.json'), 'utf8')).dependencies['@org/platform'];
    say(`consumer now on @org/platform@${upgraded} (package.json range ${range})`);
    await buildRunCheck(consumer, `on ${current}`, ['npx', '--no-install', 'org-platform-conformance']);
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
