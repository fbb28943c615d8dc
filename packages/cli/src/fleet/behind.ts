import semver from 'semver';
import { breakingLine } from '../release/breaking-lines.js';

/** How far a service's platform is behind the CLI's: by the most significant part that differs. */
export type Behind = 'major' | 'minor' | 'patch' | 'current';

/**
 * Compares a service's `platform_version` with the version the CLI was released with, by the
 * position UPGRADING.md gives each part: `major` when the breaking line differs (the major, or
 * 0.MINOR before 1.0), `minor` for a lower minor (0.y.PATCH before 1.0: one position to the right),
 * `patch` for a lower patch after 1.0 or a prerelease of the same version; `current` when equal
 * or newer, `null` when the service reports no valid version.
 *
 * @example
 * behind('0.1.4', '0.2.0'); // 'major' (0.MINOR breaks before 1.0)
 * behind('0.2.0', '0.2.3'); // 'minor'
 * behind('1.2.0', '1.2.3'); // 'patch'
 */
export function behind(serviceVersion: string | null, released: string): Behind | null {
  const version = serviceVersion === null ? null : semver.valid(serviceVersion);
  if (version === null) return null;
  if (semver.gte(version, released)) return 'current';
  const target = semver.parse(released)!;
  const own = semver.parse(version)!;
  if (breakingLine(version) !== breakingLine(released)) return 'major';
  if (target.major === 0) return own.patch !== target.patch ? 'minor' : 'patch';
  if (own.minor !== target.minor) return 'minor';
  return 'patch';
}
