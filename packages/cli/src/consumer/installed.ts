import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The consumer's package.json, as much of it as the CLI reads. */
export interface ConsumerManifest {
  readonly name?: string;
  readonly packageManager?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

/**
 * The consumer's package.json at `root`, or undefined when there is none.
 *
 * @example
 * readManifest(process.cwd())?.dependencies?.['@org/platform']; // '^0.1.0'
 */
export function readManifest(root: string): ConsumerManifest | undefined {
  try {
    return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as ConsumerManifest;
  } catch {
    return undefined;
  }
}

/**
 * The version of a package installed for the project at `root` (resolved as Node resolves it from
 * there, through pnpm's links too), or undefined when it is not installed.
 *
 * @example
 * installedVersion(process.cwd(), '@org/platform'); // '0.1.0'
 */
export function installedVersion(root: string, name: string): string | undefined {
  try {
    const resolve = createRequire(join(root, 'package.json')).resolve;
    return (JSON.parse(readFileSync(resolve(`${name}/package.json`), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}
