import semver from 'semver';

/** How far a service's platform is behind the CLI's: by the most significant part that differs. */
export type Behind = 'major' | 'minor' | 'patch' | 'current';

/**
 * Compares a service's `platform_version` with the version the CLI was released with: `major`,
 * `minor` or `patch` by the most significant part that is lower (a prerelease of the same
 * version is `patch`), `current` when equal or newer, `null` when the service reports no valid
 * version.
 *
 * @example
 * behind('0.1.4', '0.2.0'); // 'minor'
 */
export function behind(serviceVersion: string | null, released: string): Behind | null {
  const version = serviceVersion === null ? null : semver.valid(serviceVersion);
  if (version === null) return null;
  if (semver.gte(version, released)) return 'current';
  const target = semver.parse(released)!;
  const own = semver.parse(version)!;
  if (own.major !== target.major) return 'major';
  if (own.minor !== target.minor) return 'minor';
  return 'patch';
}
