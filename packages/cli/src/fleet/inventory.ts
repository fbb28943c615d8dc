import { runConformance } from '@org/platform/testing';
import pLimit from 'p-limit';
import { probeVersion } from './probe.js';
import { serviceStatus, type ServiceStatus, type StatusRules } from './service-status.js';
import type { FleetTarget } from './target.js';

/** Options of {@link takeInventory}. */
export interface InventoryOptions extends StatusRules {
  /** Time limit of each service's `/version` exchange, in milliseconds. @default 5000 */
  readonly timeoutMs?: number;
  /** Services asked at the same time. @default 16 */
  readonly concurrency?: number;
  /** Run the conformance kit against each reachable service (its `protected` and `origin` options). @default false */
  readonly conformance?: boolean;
}

async function conformanceOf(target: FleetTarget, timeoutMs: number): Promise<ServiceStatus['conformance']> {
  const match = target.protected === undefined ? null : /^([A-Za-z]+)\s+(\/\S*)$/.exec(target.protected.trim());
  const report = await runConformance(
    { baseUrl: target.url },
    {
      timeoutMs,
      ...(match === null ? {} : { protectedRoute: { method: match[1]!.toUpperCase(), path: match[2]! } }),
      ...(target.origin === undefined ? {} : { allowedOrigin: target.origin }),
    },
  );
  return {
    passed: report.summary.passed,
    failed: report.summary.failed,
    failed_checks: report.checks.filter((check) => check.status === 'fail').map((check) => check.id),
  };
}

/**
 * Reads every service's `/version` (at most `concurrency` at a time, each within `timeoutMs`),
 * runs the conformance kit on the reachable ones when asked, and returns their statuses sorted
 * by name (then URL).
 *
 * @example
 * const services = await takeInventory(targets, { released: '0.2.0', minPlatform: '0.2.0' });
 * const failing = services.filter((service) => !service.ok);
 */
export async function takeInventory(
  targets: readonly FleetTarget[],
  options: InventoryOptions,
): Promise<ServiceStatus[]> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const limit = pLimit(options.concurrency ?? 16);
  const statuses = await Promise.all(
    targets.map((target) =>
      limit(async () => {
        const probe = await probeVersion(target.url, timeoutMs);
        const conformance =
          options.conformance === true && probe.reachable ? await conformanceOf(target, timeoutMs) : null;
        return serviceStatus(target, probe, conformance, options);
      }),
    ),
  );
  return statuses.sort((a, b) => a.name.localeCompare(b.name, 'en') || a.url.localeCompare(b.url, 'en'));
}
