import { parseArgs } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import semver from 'semver';
import { MIGRATIONS } from '../../migrations/manifest.js';
import { EXIT } from '../command/exit-codes.js';
import type { CommandIo } from '../command/io.js';
import type { Subcommand } from '../command/subcommand.js';
import { installedVersion } from '../consumer/installed.js';
import { releasedPlatformVersion } from '../version.js';
import { runMigrations, type MigrationRun } from './run-migrations.js';
import { migrationTarget, selectMigrations } from './select.js';

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
  for (const m of selected) io.stdout(`${m.version.padEnd(8)} ${m.id.padEnd(20)} ${m.description}${m.deprecations.length === 0 ? '' : ` (${m.deprecations.join(', ')})`}\n`);
}

/**
 * What a run did, for people: the files changed (or the diff, on a dry run) and the places left
 * with the migration's note.
 *
 * @example
 * io.stdout(describeRun(run, { dryRun: false }));
 */
export function summaryOf(run: MigrationRun): string {
  const converted = run.routes.filter((route) => route.converted).length;
  const left = run.routes.filter((route) => !route.converted);
  const reasons = left.map((route) => `${route.method.toUpperCase()} ${route.route} (${route.path}:${route.line}): ${route.reason ?? 'left'}`);
  return `converted ${converted} of ${run.routes.length} route${run.routes.length === 1 ? '' : 's'}; ${left.length} left${left.length === 0 ? '' : `: ${reasons.join('; ')}`}${run.failed.length === 0 ? '' : `; ${run.failed.length} file${run.failed.length === 1 ? '' : 's'} could not be read`}`;
}

/**
 * What a run did, as data (`migrate --json`): the routes converted and left (with the reason),
 * the files changed, the files that could not be handled, and the summary line.
 *
 * @example
 * io.stdout(runJson(run));
 */
export function runJson(run: MigrationRun): string {
  return `${JSON.stringify({
    migrations: run.migrations.map((m) => ({ id: m.id, version: m.version })),
    files: run.files,
    changed: run.changed.map((file) => file.path),
    routes: run.routes.map(({ path, line, method, route, converted, reason, migration }) => ({ migration, path, line, method, route, converted, reason: reason ?? null })),
    failed: run.failed,
    summary: summaryOf(run),
  }, null, 2)}\n`;
}

export function describeRun(run: MigrationRun, { dryRun }: { dryRun: boolean }): string {
  const lines: string[] = [];
  if (run.migrations.length === 0) return 'no migrations in that range: nothing to do\n';
  lines.push(`migrations: ${run.migrations.map((m) => `${m.id} (${m.version})`).join(', ')}; ${run.files} files read`);
  if (dryRun) for (const file of run.changed) lines.push(createTwoFilesPatch(`a/${file.path}`, `b/${file.path}`, file.before, file.after, undefined, undefined, { context: 3 }).replace(/^=+\n/, '').trimEnd());
  if (run.changed.length === 0) lines.push('no file changed');
  else lines.push(`${dryRun ? 'would change' : 'changed'} ${run.changed.length} file${run.changed.length === 1 ? '' : 's'}: ${run.changed.map((f) => f.path).join(', ')}`);
  for (const failed of run.failed) lines.push(`could not handle ${failed.path}: ${failed.reason}`);
  const converted = run.routes.filter((route) => route.converted);
  if (converted.length > 0) {
    lines.push('converted:');
    for (const route of converted) lines.push(`  ${route.method.toUpperCase()} ${route.route}  ${route.path}:${route.line}`);
  }
  if (run.left.length > 0) {
    lines.push(`left for you (${run.left.length}, marked TODO(org-platform)):`);
    for (const place of run.left) lines.push(`  ${place.path}:${place.line}  ${place.reason}`);
    for (const migration of new Set(run.left.map((place) => place.migration))) {
      const note = run.left.find((place) => place.migration === migration)!.note;
      lines.push(`  ${migration}: ${note}`);
    }
  }
  if (run.routes.length > 0 || run.failed.length > 0) lines.push(summaryOf(run));
  return `${lines.join('\n')}\n`;
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
      options: { from: { type: 'string' }, to: { type: 'string' }, 'dry-run': { type: 'boolean' }, list: { type: 'boolean' }, json: { type: 'boolean' } },
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
      io.stderr(`note: @org/platform ${installed} is installed; migrations for ${to} are checked against it. Install ${to} first (org-platform upgrade does).\n`);
    }
    const dryRun = values['dry-run'] === true;
    const run = await runMigrations(migrations, { root: io.cwd, paths: positionals, dryRun });
    io.stdout(values.json === true ? runJson(run) : describeRun(run, { dryRun }));
    return EXIT.ok;
  },
};
