#!/usr/bin/env node
// The README's two commands land here: `npm start` and `npm test`. Each installs what it needs
// (pnpm 12.4.2, the workspace, Node 24 for the second test pass) and then does its job, so a
// fresh machine with only Node 20 and npm gets from clone to running in one command.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { ensureNode24 as installNode24, NODE24_VERSION, node24Bin as node24BinOf } from './node24.mjs';

const root = resolve(import.meta.dirname, '..');
const PNPM_VERSION = '12.4.2';
const tools = join(root, '.tools');
const pnpmBin = join(tools, 'pnpm', 'node_modules', '.bin');
const node24Bin = node24BinOf(root);

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
// Each step says when it began, so a slow one shows in the log without a profiler.
const say = (text) => process.stdout.write(`\n\x1b[1m▶ [${elapsed().padStart(7)}] ${text}\x1b[0m\n`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    ...options,
    env: { ...process.env, ...options.env, PATH: pathWith(options.prefixPath) },
  });
  if (result.status !== 0) {
    process.stderr.write(
      `\n✖ ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}) after ${elapsed()}\n`,
    );
    process.exit(result.status ?? 1);
  }
}

function pathWith(prefix = []) {
  return [...prefix, pnpmBin, join(root, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter);
}

function ensurePnpm() {
  if (existsSync(join(pnpmBin, 'pnpm'))) return;
  say(`installing pnpm ${PNPM_VERSION} into .tools/`);
  run('npm', [
    'install',
    '--prefix',
    join(tools, 'pnpm'),
    '--no-save',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    '-E',
    `pnpm@${PNPM_VERSION}`,
  ]);
}

function ensureNode24() {
  try {
    installNode24(root, say);
  } catch (error) {
    process.stderr.write(`\n✖ ${error.message} after ${elapsed()}\n`);
    process.exit(1);
  }
}

function install() {
  ensurePnpm();
  say('installing workspace dependencies (pnpm install --frozen-lockfile)');
  run('pnpm', ['install', '--frozen-lockfile', '--reporter=append-only']);
}

function build() {
  say('building (tsc -b)');
  run('pnpm', ['run', 'build']);
}

function start() {
  install();
  build();
  say('starting @org/entities-service (Ctrl-C stops it)');
  // Run from the repository root, where `npm start` was typed: the service reads the `.env` there.
  if (existsSync(join(root, 'packages', 'service', '.env')) && !existsSync(join(root, '.env'))) {
    process.stderr.write('▶ packages/service/.env is not read by npm start: move it to the repository root (.env)\n');
  }
  const child = spawn(process.execPath, ['--enable-source-maps', join('packages', 'service', 'dist', 'main.js')], {
    cwd: root,
    stdio: 'inherit',
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  // Passed on as they come: when a whole process group is signalled (Ctrl-C, systemd) the service
  // gets the signal twice, from the group and from here, and it takes the copy for what it is.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => running() && child.kill(signal));
  // npm exits at once on SIGTERM and passes nothing on (package.json's `exec` makes npm our parent):
  // once the parent is gone, the service is stopped gracefully instead of running on orphaned.
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.stderr.write(
      `\n▶ the process that started this one (pid ${parent}) is gone: stopping the service gracefully\n`,
    );
    if (running()) child.kill('SIGTERM');
  }, 250);
  child.on('exit', (code, signal) => {
    clearInterval(watch);
    process.exit(code ?? (signal === 'SIGINT' ? 0 : 1));
  });
}

function test() {
  install();
  // Build first: the service, its tests and type-aware lint read the platform's built types.
  build();
  say('lint (eslint)');
  run('pnpm', ['run', 'lint']);
  say('format (prettier --check)');
  run('pnpm', ['run', 'format:check']);
  say('typecheck (tsc, sources and tests)');
  run('pnpm', ['run', 'typecheck']);
  // The CLI's floors fail the run when broken; the platform's are listed as warnings until its
  // .dependency-cruiser.mjs sets ENFORCED = true.
  say("import directions (dependency-cruiser: each package's floors, no folder cycles)");
  run('pnpm', ['run', 'layers']);
  say('package checks (pnpm -r run check: API report, packaging, deploy files, consumer proof)');
  run('pnpm', ['-r', '--if-present', '--workspace-concurrency', '1', 'run', 'check']);
  say(`tests on Node ${process.versions.node} (mocha + c8)`);
  run('pnpm', ['run', 'test:packages']);
  if (process.env.SKIP_NODE24 === '1') {
    say('SKIP_NODE24=1: the Node 24 pass is skipped');
  } else {
    ensureNode24();
    say(`tests on Node ${NODE24_VERSION} (the CLI's corpus, tsc work whatever the Node line, ran in the first pass)`);
    run('pnpm', ['run', 'test:packages'], {
      prefixPath: [node24Bin],
      env: { ORG_PLATFORM_TEST_CORPUS: 'first-pass-only' },
    });
  }
  say(`all checks passed in ${elapsed()}`);
}

const command = process.argv[2];
if (command === 'start') start();
else if (command === 'test') test();
else {
  process.stderr.write('usage: node scripts/workspace.mjs start|test\n');
  process.exit(2);
}
