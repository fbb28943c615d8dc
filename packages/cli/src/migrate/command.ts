import { parseArgs } from 'node:util';
import semver from 'semver';
import { MIGRATIONS } from '../../migrations/manifest.js';
import { EXIT } from '../command/exit-codes.js';
import type { CommandIo } from '../command/io.js';
import type { Subcommand } from '../command/subcommand.js';
import { installedVersion } from '../consumer/installed.js';
import { releasedPlatformVersion } from '../release/version.js';
import { describeRun, runJson } from '../codemod/run-report.js';
import { runMigrations } from '../codemod/run-migrations.js';
import { migrationTarget, selectMigrations } from '../codemod/select.js';

const USAGE = `usage: org-platform migrate [--from <version>] [--to <version>] [--dry-run] [--json] [--list] [<paths>...]

Runs the codemods of every @org/platform release in (from, to] over the project's TypeScript and
JavaScript files (default: the whole project, without node_modules and the build output). A place
it cannot rewrite safely keeps compiling, gets a TODO(org-platform) comment, and is listed.

  --from <version>  the version the project comes from (default: every migration up to --to;
                    each is idempotent, so one that already ran changes nothing)
  --to <version>    the version it goes to (default: this CLI's own release, whose
                    migrations it carries)
  --dry-run         print a unified diff, write nothing
  --list            list the migrations (those in range when --from/--to are given)
  --json            print the run as data: each route converted or left (with the reason),
                    the files changed, the files that could not be handled, the summary line
  -h, --help        this text

Run it after installing the target version: the rewritten code is type-checked against it.
Exit 0 when it ran (places left are listed), 1 when it could not, 2 on bad usage.
`;

function listing(io: CommandIo, from: string | undefined, to: string | undefined): void {
  const selected = selectMigrations(MIGRATIONS, from, to ?? migrationTarget(MIGRATIONS, releasedPlatformVersion()));
  if (selected.length === 0) {
    io.stdout('no migrations in that range\n');
    return;
  }
  for (const m of selected)
    io.stdout(
      `${m.version.padEnd(8)} ${m.id.padEnd(20)} ${m.description}${m.deprecations.length === 0 ? '' : ` (${m.deprecations.join(', ')})`}\n`,
    );
}

/** `org-platform migrate`: the codemods of the releases between two platform versions. */
export const migrate: Subcommand = {
  name: 'migrate',
  summary: 'run the codemods of the @org/platform releases between two versions (--dry-run prints the diff)',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        'dry-run': { type: 'boolean' },
        list: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
    if (values.list === true) {
      listing(io, values.from, values.to);
      return EXIT.ok;
    }
    const installed = installedVersion(io.cwd, '@org/platform');
    // Not the installed version: a project on 0.1.0 about to move runs 0.2.0's migrations.
    const to = values.to ?? migrationTarget(MIGRATIONS, releasedPlatformVersion());
    const migrations = selectMigrations(MIGRATIONS, values.from, to);
    if (installed !== undefined && semver.valid(to) !== null && semver.gt(to, installed) && values.json !== true) {
      io.stderr(
        `note: @org/platform ${installed} is installed; migrations for ${to} are checked against it. Install ${to} first (org-platform upgrade does).\n`,
      );
    }
    const dryRun = values['dry-run'] === true;
    const run = await runMigrations(migrations, { root: io.cwd, paths: positionals, dryRun });
    io.stdout(values.json === true ? runJson(run) : describeRun(run, { dryRun }));
    return EXIT.ok;
  },
};
