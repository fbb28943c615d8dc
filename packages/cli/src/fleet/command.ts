import { parseArgs } from 'node:util';
import semver from 'semver';
import { MIGRATIONS } from '../../migrations/manifest.js';
import { EXIT } from '../command/exit-codes.js';
import { migrationTarget, selectMigrations } from '../codemod/select.js';
import type { Subcommand } from '../command/subcommand.js';
import { UsageError } from '../command/usage-error.js';
import { releasedPlatformVersion } from '../release/version.js';
import { takeInventory } from './inventory.js';
import { formatInventory, inventoryJson } from './report.js';
import { readServiceFile } from './service-file.js';
import { targetFromUrl, uniqueTargets, type FleetTarget } from './target.js';

const USAGE = `usage: org-platform fleet [<base-url>...] [--file <path>]... [options]

Reads each service's /version and shows where the fleet stands: service and platform versions, how
far behind the platform this CLI was released with (or --target), the migrations org-platform
upgrade would run to get there, Node version, deprecated APIs in use.

  <base-url>               a service's base URL (its name is the URL's host)
  --file <path>            YAML: services: [{ name, url, protected?, origin? }], or Backstage
                           catalog-info.yaml (Components with the org-platform/base-url annotation)
  --target <version>       compare with this @org/platform version instead of the CLI's own
                           release (one whose migrations this CLI carries)
  --json                   print { platform, services: [...] } instead of the table
  --conformance            also run the conformance kit against each reachable service
  --min-platform <version> services on an older platform (or none) fail
  --timeout <ms>           time limit of each service's whole exchange (default 5000)
  --concurrency <n>        services asked at the same time (default 16)
  -h, --help               this text

Exit 0 when every service is well, 1 when one is unreachable, below --min-platform or fails
conformance, 2 on bad usage.
`;

function positiveInteger(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

/** `org-platform fleet`: the inventory of a fleet from each service's `/version`. */
export const fleet: Subcommand = {
  name: 'fleet',
  summary: 'where every service stands: platform version, how far behind, deprecated APIs in use, conformance',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        file: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        conformance: { type: 'boolean' },
        'min-platform': { type: 'string' },
        target: { type: 'string' },
        timeout: { type: 'string' },
        concurrency: { type: 'string' },
      },
    });
    const minPlatform = values['min-platform'];
    if (minPlatform !== undefined && semver.valid(minPlatform) === null)
      throw new UsageError(`--min-platform must be a version such as 0.2.0, got ${JSON.stringify(minPlatform)}`);
    const timeoutMs = positiveInteger(values.timeout, '--timeout', 5000);
    const concurrency = positiveInteger(values.concurrency, '--concurrency', 16);
    const targets: FleetTarget[] = positionals.map(targetFromUrl);
    for (const file of values.file ?? []) targets.push(...(await readServiceFile(file)));
    if (targets.length === 0) throw new UsageError('no services: give base URLs or --file');
    const newest = migrationTarget(MIGRATIONS, releasedPlatformVersion());
    const released = values.target ?? releasedPlatformVersion();
    if (semver.valid(released) === null)
      throw new UsageError(`--target must be a version such as 1.0.0, got ${JSON.stringify(released)}`);
    if (semver.gt(released, newest))
      throw new UsageError(
        `--target ${released} is after ${newest}, the newest release whose migrations this CLI carries`,
      );
    // A service's own version may be anything it reports: only a valid one below the target has migrations to name.
    const migrationsFor = (version: string) => selectMigrations(MIGRATIONS, version, released).map((m) => m.id);
    const services = await takeInventory(uniqueTargets(targets), {
      released,
      migrationsFor,
      timeoutMs,
      concurrency,
      conformance: values.conformance === true,
      ...(minPlatform === undefined ? {} : { minPlatform }),
    });
    io.stdout(values.json === true ? inventoryJson(services, released) : formatInventory(services, released));
    return services.every((service) => service.ok) ? EXIT.ok : EXIT.failed;
  },
};
