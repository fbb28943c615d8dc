import { conformance } from '../conformance/command.js';
import { fleet } from '../fleet/command.js';
import { migrate } from '../migrate/command.js';
import { upgrade } from '../upgrade/command.js';
import { releasedPlatformVersion } from '../release/version.js';
import { EXIT, type ExitCode } from '../command/exit-codes.js';
import type { CommandIo } from '../command/io.js';
import { runSubcommand, type Subcommand } from '../command/subcommand.js';

const SUBCOMMANDS: readonly Subcommand[] = [fleet, migrate, upgrade, conformance];

function overview(): string {
  const width = Math.max(...SUBCOMMANDS.map((c) => c.name.length));
  return [
    'usage: org-platform <command> [options]',
    '',
    ...SUBCOMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "`org-platform <command> --help` shows a command's options. Exit codes: 0 all well, 1 a rule failed, 2 bad usage.",
    `This is @org/platform-cli ${releasedPlatformVersion()}, released with @org/platform ${releasedPlatformVersion()}.`,
    '',
  ].join('\n');
}

/**
 * The `org-platform` command: picks the subcommand by its first argument and resolves with the
 * exit code (0 all well, 1 a rule failed, 2 bad usage).
 *
 * @example
 * process.exitCode = await orgPlatform(process.argv.slice(2), processIo());
 */
export async function orgPlatform(args: readonly string[], io: CommandIo): Promise<ExitCode> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(overview());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${releasedPlatformVersion()}\n`);
    return EXIT.ok;
  }
  const command = SUBCOMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr(`org-platform: unknown command ${JSON.stringify(name)}\n\n${overview()}`);
    return EXIT.usage;
  }
  return runSubcommand(command, rest, io);
}
