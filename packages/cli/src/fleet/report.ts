import Table from 'cli-table3';
import type { ServiceStatus } from './service-status.js';

const HEAD = [
  'NAME',
  'URL',
  'VERSION',
  'PLATFORM',
  'BEHIND',
  'MIGRATIONS',
  'NODE',
  'DEPRECATIONS',
  'CONFORMANCE',
  'PROBLEM',
];
const dash = (value: string | null): string => value ?? '-';

function row(service: ServiceStatus): string[] {
  const reported = service.reachable && service.error === null;
  return [
    service.name,
    service.url,
    dash(service.version),
    dash(service.platform_version),
    dash(service.behind),
    service.migrations.length === 0 ? '-' : service.migrations.join(', '),
    dash(service.node_version),
    // "none" only when the service said so; "-" when it could not say.
    reported && service.platform_version !== null
      ? service.deprecations.length === 0
        ? 'none'
        : service.deprecations.join(', ')
      : '-',
    service.conformance === null ? '-' : `${service.conformance.passed} passed, ${service.conformance.failed} failed`,
    service.problems.length === 0 ? '' : service.problems.join('; '),
  ];
}

function count(n: number, what: string): string {
  return `${n} ${what}`;
}

/**
 * The summary line under the table: how many services, how many are well, unreachable, behind,
 * on deprecated APIs, failing conformance, and the platform version they were measured against.
 *
 * @example
 * summaryLine(services, '0.2.0'); // '4 services: 2 ok, 2 unreachable; 1 current, 1 behind (1 minor); 1 using deprecated APIs; compared with @org/platform 0.2.0'
 */
export function summaryLine(services: readonly ServiceStatus[], released: string): string {
  const ok = services.filter((s) => s.ok).length;
  const unreachable = services.filter((s) => !s.reachable).length;
  const broken = services.filter((s) => s.reachable && s.error !== null).length;
  const notOnPlatform = services.filter((s) => s.reachable && s.error === null && s.platform_version === null).length;
  const current = services.filter((s) => s.behind === 'current').length;
  const behindBy = (['major', 'minor', 'patch'] as const)
    .map((part) => [part, services.filter((s) => s.behind === part).length] as const)
    .filter(([, n]) => n > 0);
  const behind = behindBy.reduce((sum, [, n]) => sum + n, 0);
  const deprecated = services.filter((s) => s.deprecations.length > 0).length;
  const nonConformant = services.filter((s) => s.conformance !== null && s.conformance.failed > 0).length;
  const parts = [
    `${count(services.length, services.length === 1 ? 'service' : 'services')}: ${ok} ok, ${unreachable} unreachable`,
  ];
  if (broken > 0) parts[0] += `, ${broken} without a readable /version`;
  if (notOnPlatform > 0) parts[0] += `, ${notOnPlatform} not on the platform`;
  parts.push(
    `${current} current, ${behind} behind${behind === 0 ? '' : ` (${behindBy.map(([part, n]) => `${n} ${part}`).join(', ')})`}`,
  );
  parts.push(`${deprecated} using deprecated APIs`);
  if (services.some((s) => s.conformance !== null)) parts.push(`${nonConformant} failing conformance`);
  return `${parts.join('; ')}; compared with @org/platform ${released}`;
}

/**
 * The inventory as a table, one row per service in the given order, and the summary line.
 *
 * @example
 * io.stdout(formatInventory(services, '0.2.0'));
 */
export function formatInventory(services: readonly ServiceStatus[], released: string): string {
  // No colours and plain ASCII borders: the output goes to CI logs and files as often as to terminals.
  const table = new Table({
    head: HEAD,
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 0 },
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
  });
  for (const service of services) table.push(row(service));
  const lines = table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd().replace(/^ /, ''));
  return `${lines.join('\n')}\n${summaryLine(services, released)}\n`;
}

/**
 * The inventory as `--json` prints it: `{ platform, services: [...] }` with the documented keys;
 * `problems` gives the reason of every `ok: false` (a service below `--min-platform` or failing
 * conformance has `error: null`: its `/version` was fine).
 *
 * @example
 * io.stdout(inventoryJson(services, '0.2.0'));
 */
export function inventoryJson(services: readonly ServiceStatus[], released: string): string {
  return `${JSON.stringify({ platform: released, services }, null, 2)}\n`;
}
