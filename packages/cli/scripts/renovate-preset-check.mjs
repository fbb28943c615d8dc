#!/usr/bin/env node
// Validates renovate-preset/default.json with Renovate's own `renovate-config-validator`, offline
// (a preset without `extends` needs no network), and proves the validator judges by refusing a
// broken copy. Renovate 44 needs Node >= 24.11 (its engines): it runs on the Node 24 that the test
// command installs into .tools/node24. It is installed once into .tools/renovate (about 320 MB,
// 35 s; --ignore-scripts: no install-time code runs; its optional native re2 is left out, so it
// warns once and uses RegExp, which changes nothing for a preset with no regex).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureNode24, NODE24_VERSION } from '../../../scripts/node24.mjs';

const RENOVATE = '44.121.2';
const root = resolve(import.meta.dirname, '..', '..', '..');
const preset = join(root, 'renovate-preset', 'default.json');
const tools = join(root, '.tools');
const validator = join(tools, 'renovate', 'node_modules', 'renovate', 'dist', 'config-validator.js');
const say = (text) => process.stdout.write(`[renovate-preset] ${text}\n`);

function npmInstall(prefix, spec, extra = []) {
  mkdirSync(prefix, { recursive: true });
  const result = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      '--engine-strict=false',
      '-E',
      ...extra,
      spec,
    ],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`npm install ${spec} failed`);
}

const node = ensureNode24(root, say);
if (
  !existsSync(validator) ||
  JSON.parse(readFileSync(join(tools, 'renovate', 'node_modules', 'renovate', 'package.json'), 'utf8')).version !==
    RENOVATE
) {
  say(`installing renovate ${RENOVATE} into .tools/renovate (once)`);
  npmInstall(join(tools, 'renovate'), `renovate@${RENOVATE}`, ['--ignore-scripts', '--omit=optional']);
}

function validate(file) {
  const result = spawnSync(node, [validator, '--strict', '--no-global', file], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info' },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const good = validate(preset);
if (good.code !== 0 || !good.output.includes('Config validated successfully')) {
  process.stderr.write(`${good.output}\n✖ renovate-config-validator refused renovate-preset/default.json\n`);
  process.exit(1);
}
// A control: the same preset with a misspelt option must be refused, or the check proves nothing.
const work = mkdtempSync(join(tmpdir(), 'renovate-preset-'));
try {
  const broken = JSON.parse(readFileSync(preset, 'utf8'));
  broken.packageRules[1].postUpgradeTasks.comands = broken.packageRules[1].postUpgradeTasks.commands;
  writeFileSync(join(work, 'broken.json'), JSON.stringify(broken));
  const bad = validate(join(work, 'broken.json'));
  if (bad.code === 0 || !bad.output.includes('postUpgradeTasks.comands')) {
    process.stderr.write(
      `${bad.output}\n✖ renovate-config-validator accepted a broken preset: the check is not judging\n`,
    );
    process.exit(1);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
say(
  `renovate-config-validator ${RENOVATE} (Node ${NODE24_VERSION}) accepts renovate-preset/default.json and refuses a misspelt copy`,
);
