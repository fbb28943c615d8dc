import semver from 'semver';
import { behind, type Behind } from './behind.js';
import type { VersionProbe } from './probe.js';
import type { FleetTarget } from './target.js';

/** One service of the inventory, as `--json` prints it. */
export interface ServiceStatus {
  readonly name: string;
  readonly url: string;
  /** An HTTP response came back (any status). */
  readonly reachable: boolean;
  /** Why `/version` gave nothing usable: `refused`, `timeout`, `HTTP 404`, `not JSON`...; null when it did. */
  readonly error: string | null;
  readonly service_name: string | null;
  readonly version: string | null;
  /** Null for a reachable service that is not on the platform. */
  readonly platform_version: string | null;
  readonly node_version: string | null;
  readonly environment: string | null;
  /** `ORG_PLATFORM_DEPnnn` codes the service has used (`[]` when none, or unknown). */
  readonly deprecations: readonly string[];
  readonly behind: Behind | null;
  /**
   * Ids of the migrations `org-platform upgrade` runs to take the service to the compared version,
   * oldest first (`['route-declaration', 'subpath-imports']` from 0.1.x to 1.0.0); `[]` when it
   * is current or its version is unknown.
   */
  readonly migrations: readonly string[];
  /** Null unless `--conformance` ran the kit against the service. */
  readonly conformance: ConformanceSummary | null;
  /** Nothing wrong: reachable, on the platform, at or above `--min-platform`, conformant when checked. */
  readonly ok: boolean;
  /** What is wrong, one reason each (the table's last column); empty when ok. Never empty when not ok. */
  readonly problems: readonly string[];
}

/** What the conformance kit found: counts, and the ids of the checks that failed. */
export interface ConformanceSummary {
  readonly passed: number;
  readonly failed: number;
  /** Ids of the failed checks (`security-headers`, `cors`, ...), in the kit's order. */
  readonly failed_checks: readonly string[];
}

/** What a status is judged by. */
export interface StatusRules {
  /** The platform version the fleet is compared with: the CLI's own release, or `--target` ("behind" compares with it). */
  readonly released: string;
  /** The ids of the migrations between a version and `released`. @default none known */
  readonly migrationsFor?: (version: string) => readonly string[];
  /** `--min-platform`: lower versions fail. */
  readonly minPlatform?: string;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Turns a `/version` probe (and a conformance summary) into the service's status and its problems.
 * A reachable service without `platform_version` is "not on the platform", which fails only
 * `--min-platform`.
 *
 * @example
 * serviceStatus(target, { reachable: false, error: 'refused' }, null, { released: '0.2.0' }).ok; // false
 */
export function serviceStatus(
  target: FleetTarget,
  probe: VersionProbe,
  conformance: ServiceStatus['conformance'],
  rules: StatusRules,
): ServiceStatus {
  const body = 'body' in probe ? probe.body : {};
  const platformVersion = text(body.platform_version);
  const deprecations = Array.isArray(body.deprecations)
    ? body.deprecations.filter((code): code is string => typeof code === 'string')
    : [];
  const problems: string[] = [];
  if ('error' in probe) problems.push(probe.reachable ? `/version: ${probe.error}` : probe.error);
  else if (platformVersion === null) problems.push('not on the platform (no platform_version)');
  if (rules.minPlatform !== undefined && probe.reachable && !('error' in probe)) {
    const valid = platformVersion === null ? null : semver.valid(platformVersion);
    if (valid === null) problems.push(`below --min-platform ${rules.minPlatform} (no platform version)`);
    else if (semver.lt(valid, rules.minPlatform)) problems.push(`below --min-platform ${rules.minPlatform}`);
  }
  if (conformance !== null && conformance.failed > 0)
    problems.push(
      `conformance: ${conformance.failed} check${conformance.failed === 1 ? '' : 's'} failed (${conformance.failed_checks.join(', ')})`,
    );
  const notOnPlatformOnly = problems.length === 1 && platformVersion === null && !('error' in probe);
  return {
    name: target.name,
    url: target.url,
    reachable: probe.reachable,
    error: 'error' in probe ? probe.error : null,
    service_name: text(body.service_name),
    version: text(body.version),
    platform_version: platformVersion,
    node_version: text(body.node_version),
    environment: text(body.environment),
    deprecations,
    behind: behind(platformVersion, rules.released),
    migrations:
      platformVersion !== null && semver.valid(platformVersion) !== null && semver.lt(platformVersion, rules.released)
        ? (rules.migrationsFor?.(platformVersion) ?? [])
        : [],
    conformance,
    ok: problems.length === 0 || notOnPlatformOnly,
    problems,
  };
}
