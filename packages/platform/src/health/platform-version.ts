import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * The version of `@org/platform` in use, read from its own package.json on first call and
 * remembered (never at import time). `src/health/` and `dist/health/` both sit two levels below
 * the package root, so the same relative URL works from sources and from the build.
 * @internal
 */
export function platformVersion(): string {
  if (cached === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: unknown;
      };
      cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      cached = 'unknown';
    }
  }
  return cached;
}
