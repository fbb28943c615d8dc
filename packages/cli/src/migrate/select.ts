import semver from 'semver';
import { UsageError } from '../command/usage-error.js';
import type { MigrationEntry } from './migration.js';

/**
 * The migrations for versions in (from, to], oldest first (prereleases compare as semver says:
 * `0.2.0-rc.1` is before `0.2.0`). Without `from`, every migration up to `to`: they are
 * idempotent, so running one again changes nothing.
 *
 * @example
 * selectMigrations(MIGRATIONS, '0.1.0', '0.2.0').map((m) => m.id); // ['route-declaration']
 */
export function selectMigrations(all: readonly MigrationEntry[], from: string | undefined, to: string): MigrationEntry[] {
  for (const [flag, value] of [['--from', from], ['--to', to]] as const) {
    if (value !== undefined && semver.valid(value) === null) throw new UsageError(`${flag} must be a version such as 0.2.0, got ${JSON.stringify(value)}`);
  }
  if (from !== undefined && semver.gt(from, to)) throw new UsageError(`--from ${from} is after --to ${to}`);
  return all
    .filter((m) => (from === undefined || semver.gt(m.version, from)) && semver.lte(m.version, to))
    .sort((a, b) => semver.compare(a.version, b.version));
}
