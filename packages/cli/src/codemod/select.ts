import semver from 'semver';
import { UsageError } from '../command/usage-error.js';
import { breakingLine } from '../release/breaking-lines.js';
import type { MigrationEntry } from './migration.js';

/**
 * The migrations for versions in (from, to], oldest first (prereleases compare as semver says:
 * `0.2.0-rc.1` is before `0.2.0`). Without `from`, every migration up to `to`: they are
 * idempotent, so running one again changes nothing. A range that crosses a breaking line also
 * takes the migrations of the deprecations of `from`'s own line: the major removes those APIs,
 * and a service on 0.2.0 may still use what 0.2.0 deprecated (a bare version bump never ran the
 * migration); where it does not, the migration changes nothing.
 *
 * @example
 * selectMigrations(MIGRATIONS, '0.1.0', '0.2.0').map((m) => m.id); // ['route-declaration']
 * selectMigrations(MIGRATIONS, '0.2.0', '1.0.0').map((m) => m.id); // ['route-declaration', 'subpath-imports']
 */
export function selectMigrations(
  all: readonly MigrationEntry[],
  from: string | undefined,
  to: string,
): MigrationEntry[] {
  for (const [flag, value] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    if (value !== undefined && semver.valid(value) === null)
      throw new UsageError(`${flag} must be a version such as 0.2.0, got ${JSON.stringify(value)}`);
  }
  if (from !== undefined && semver.gt(from, to)) throw new UsageError(`--from ${from} is after --to ${to}`);
  const crossesLine = from !== undefined && breakingLine(from) !== breakingLine(to);
  const removedByTheMajor = (m: MigrationEntry) =>
    crossesLine && m.deprecations.length > 0 && breakingLine(m.version) === breakingLine(from);
  return all
    .filter(
      (m) => ((from === undefined || semver.gt(m.version, from)) && semver.lte(m.version, to)) || removedByTheMajor(m),
    )
    .sort((a, b) => semver.compare(a.version, b.version));
}

/**
 * Where `migrate` goes without `--to`: the CLI's own release, whose migrations it carries. A
 * published CLI's manifest ends at its own version (a test holds the manifest to the release the
 * pending changesets plan); in the workspace, before that release is cut, the manifest's newest
 * entry is the coming release, and it counts as the CLI's own.
 *
 * @example
 * migrationTarget(MIGRATIONS, '0.1.0'); // '0.2.0' while 0.2.0's migrations are pending
 */
export function migrationTarget(all: readonly MigrationEntry[], released: string): string {
  return all
    .map((m) => m.version)
    .reduce((newest, version) => (semver.gt(version, newest) ? version : newest), released);
}
