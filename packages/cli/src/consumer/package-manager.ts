import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsumerManifest } from './installed.js';

/** The package managers `upgrade` drives. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn';

const LOCKFILES: readonly (readonly [string, PackageManager])[] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/**
 * The project's package manager: from its lockfile, else from `packageManager` in package.json,
 * else npm. Also says how it was decided.
 *
 * @example
 * detectPackageManager('/repo/orders', manifest); // { manager: 'pnpm', from: 'pnpm-lock.yaml' }
 */
export function detectPackageManager(
  root: string,
  manifest: ConsumerManifest,
): { manager: PackageManager; from: string } {
  for (const [file, manager] of LOCKFILES) if (existsSync(join(root, file))) return { manager, from: file };
  const declared = /^(npm|pnpm|yarn)@/.exec(manifest.packageManager ?? '')?.[1] as PackageManager | undefined;
  if (declared !== undefined) return { manager: declared, from: 'packageManager in package.json' };
  return { manager: 'npm', from: 'no lockfile: npm' };
}

/**
 * The command that adds packages at the given specs, keeping the project's style: exact pins
 * stay exact, development dependencies stay development dependencies.
 *
 * @example
 * addCommand('pnpm', ['@org/platform@0.2.0'], { exact: true, dev: false }); // ['pnpm', ['add', '--save-exact', '@org/platform@0.2.0']]
 */
export function addCommand(
  manager: PackageManager,
  specs: readonly string[],
  { exact, dev }: { exact: boolean; dev: boolean },
): [string, string[]] {
  const flags: Record<PackageManager, { add: string[]; exact: string; dev: string }> = {
    npm: { add: ['install', '--no-audit', '--no-fund'], exact: '--save-exact', dev: '--save-dev' },
    pnpm: { add: ['add'], exact: '--save-exact', dev: '--save-dev' },
    yarn: { add: ['add'], exact: '--exact', dev: '--dev' },
  };
  const { add, exact: exactFlag, dev: devFlag } = flags[manager];
  return [manager, [...add, ...(exact ? [exactFlag] : []), ...(dev ? [devFlag] : []), ...specs]];
}
