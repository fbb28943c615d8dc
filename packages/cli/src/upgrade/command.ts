import { parseArgs } from 'node:util';
import semver from 'semver';
import { MIGRATIONS } from '../../migrations/manifest.js';
import { EXIT } from '../command/exit-codes.js';
import type { Subcommand } from '../command/subcommand.js';
import { UsageError } from '../command/usage-error.js';
import { installedVersion, readManifest } from '../consumer/installed.js';
import { addCommand, detectPackageManager } from '../consumer/package-manager.js';
import { runProcess } from '../consumer/run-process.js';
import { describeRun } from '../codemod/run-report.js';
import { runMigrations } from '../codemod/run-migrations.js';
import { selectMigrations } from '../codemod/select.js';
import { releasedPlatformVersion } from '../release/version.js';
import { treeState } from './git.js';
import { linesCrossed, newestOfLine } from '../release/breaking-lines.js';
import { publishedVersions, resolveRelease } from './registry.js';
import { typecheck } from './typecheck.js';

const USAGE = `usage: org-platform upgrade [--to <version|latest>] [--allow-dirty]

Takes the service in this folder to another @org/platform release in one step: installs it (with a
matching express) with the project's package manager, runs the release's migrations, type-checks,
and prints what changed and what is left. Run it as npx @org/platform-cli@latest upgrade: the CLI
of a release carries the migrations up to that release.

  --to <version|latest>  the release to go to (default latest)
  --allow-dirty          run even when git shows uncommitted changes
  -h, --help             this text

Exit 0 when the service is upgraded and compiles, 1 when something failed or was refused, 2 on
bad usage.
`;

/** `org-platform upgrade`: install, migrate, type-check, report. */
export const upgrade: Subcommand = {
  name: 'upgrade',
  summary: 'take this service to another @org/platform release: install, migrate, tsc --noEmit, report',
  usage: USAGE,
  async run(args, io) {
    // parseArgs refuses positionals by default: `upgrade latest` is bad usage, not a target.
    const { values } = parseArgs({
      args: [...args],
      options: { to: { type: 'string' }, 'allow-dirty': { type: 'boolean' } },
    });
    const say = (line: string) => io.stdout(`${line}\n`);
    const root = io.cwd;
    const manifest = readManifest(root);
    if (manifest === undefined) throw new UsageError(`no package.json in ${root}: run it in the service's folder`);
    const installed = installedVersion(root, '@org/platform');
    if (installed === undefined) {
      io.stderr(
        '@org/platform is not installed here: install the dependencies first (npm install, pnpm install or yarn)\n',
      );
      return EXIT.failed;
    }
    const tree = await treeState(root, io.env);
    if (tree.repository && tree.dirty.length > 0 && values['allow-dirty'] !== true) {
      io.stderr(
        `refusing to upgrade: the git tree has uncommitted changes, and the upgrade's own changes should be the only ones to review:\n${tree.dirty.map((line) => `  ${line}`).join('\n')}\nCommit or stash them, or pass --allow-dirty.\n`,
      );
      return EXIT.failed;
    }
    const { manager, from } = detectPackageManager(root, manifest);
    const target = await resolveRelease(root, io.env, values.to ?? 'latest');
    say(
      `@org/platform: installed ${installed}, target ${target.version} (${values.to ?? 'latest'}); package manager ${manager} (${from})`,
    );
    if (!tree.repository) say('note: not a git repository, so the changes below cannot be reviewed with git diff');
    const released = releasedPlatformVersion();
    if (semver.gt(target.version, released)) {
      io.stderr(
        `this CLI (${released}) carries the migrations up to @org/platform ${released}, not ${target.version}: run npx @org/platform-cli@${target.version} upgrade --to ${target.version}\n`,
      );
      return EXIT.failed;
    }
    if (semver.lt(target.version, installed)) {
      io.stderr(
        `@org/platform ${target.version} is older than the installed ${installed}: upgrade does not go backwards\n`,
      );
      return EXIT.failed;
    }
    if (semver.eq(target.version, installed)) {
      say(`already on ${installed}: nothing to install or migrate`);
      return EXIT.ok;
    }
    const lines = linesCrossed(installed, target.version, await publishedVersions(root, io.env));
    if (lines.length > 1) {
      const first = newestOfLine(lines[0]!, await publishedVersions(root, io.env));
      say(
        `recommended: one major at a time. This crosses ${lines.length} (${lines.join(', ')}); upgrade to ${first ?? lines[0]} first, deploy, watch the deprecations (org-platform fleet), then go on.`,
      );
    }

    const specs = [`@org/platform@${target.version}`];
    const express = installedVersion(root, 'express');
    if (target.express !== undefined && (express === undefined || !semver.satisfies(express, target.express)))
      specs.push(`express@${target.express}`);
    const range = manifest.dependencies?.['@org/platform'] ?? manifest.devDependencies?.['@org/platform'];
    const [command, commandArgs] = addCommand(manager, specs, {
      exact: range !== undefined && semver.valid(range) !== null,
      dev:
        manifest.dependencies?.['@org/platform'] === undefined &&
        manifest.devDependencies?.['@org/platform'] !== undefined,
    });
    say(`installing: ${command} ${commandArgs.join(' ')}`);
    const install = await runProcess(command, commandArgs, { cwd: root, env: io.env });
    if (install.code !== 0) {
      io.stderr(
        `${command} failed (exit ${install.code}):\n${install.output.trim().split('\n').slice(-20).join('\n')}\n`,
      );
      return EXIT.failed;
    }
    const now = installedVersion(root, '@org/platform');
    if (now !== target.version) {
      io.stderr(`after the install @org/platform is ${now ?? 'missing'}, not ${target.version}\n`);
      return EXIT.failed;
    }
    say(
      `installed @org/platform ${now}${specs.length > 1 ? ` and express ${installedVersion(root, 'express') ?? '?'} (the peer range ${target.express})` : ''}`,
    );

    const migrations = selectMigrations(MIGRATIONS, installed, target.version);
    say(`migrating: org-platform migrate --from ${installed} --to ${target.version}`);
    const run = await runMigrations(migrations, { root });
    io.stdout(`${describeRun(run, { dryRun: false }).trimEnd().replace(/^/gm, '  ')}\n`);

    const checked = await typecheck(root, io.env);
    if (!checked.ran) say(`tsc --noEmit: skipped (${checked.why})`);
    else if (checked.passed) say('tsc --noEmit: passed');
    else {
      io.stderr(`tsc --noEmit failed after the upgrade:\n${checked.output.split('\n').slice(0, 40).join('\n')}\n`);
    }
    say('');
    say(
      `changed: @org/platform ${installed} → ${target.version}${specs.length > 1 ? `, express → ${installedVersion(root, 'express') ?? '?'}` : ''}; ${run.changed.length} source file${run.changed.length === 1 ? '' : 's'} rewritten`,
    );
    const todo = [
      ...(checked.ran && !checked.passed ? ['fix the compile errors above'] : []),
      ...(run.left.length > 0
        ? [`${run.left.length} place${run.left.length === 1 ? '' : 's'} marked TODO(org-platform), listed above`]
        : []),
      'read the changelog entries between the two versions (node_modules/@org/platform/CHANGELOG.md)',
      'run the tests, review the diff, commit',
      'after the deploy: org-platform fleet shows the deprecated APIs each service still uses',
    ];
    say(`left to do:\n${todo.map((item) => `  - ${item}`).join('\n')}`);
    return checked.ran && !checked.passed ? EXIT.failed : EXIT.ok;
  },
};
