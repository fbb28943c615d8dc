import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * The `@org/platform` version this CLI was released with. The two packages are released in
 * lockstep (one changesets `fixed` group), so it is the CLI's own version: what `fleet` measures
 * "behind" against and the newest version whose migrations this CLI carries. Read on first call.
 *
 * @example
 * releasedPlatformVersion(); // '0.2.0'
 */
export function releasedPlatformVersion(): string {
  // src/release/ and dist/src/release/ sit two and three levels below the package root.
  for (const up of ['../../package.json', '../../../package.json']) {
    if (cached !== undefined) break;
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@org/platform-cli' && typeof pkg.version === 'string') cached = pkg.version;
    } catch {
      // not at this level
    }
  }
  if (cached === undefined) throw new Error('@org/platform-cli: its package.json was not found');
  return cached;
}
