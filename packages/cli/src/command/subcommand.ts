import type { ExitCode } from './exit-codes.js';
import { EXIT } from './exit-codes.js';
import type { CommandIo } from './io.js';
import { isUsageError } from './usage-error.js';

/** One `org-platform` subcommand: its name, one line for the overview, its usage and what it does. */
export interface Subcommand {
  readonly name: string;
  readonly summary: string;
  /** Printed for `--help` and after a usage error; a command without one prints its own. */
  readonly usage?: string;
  readonly run: (args: readonly string[], io: CommandIo) => Promise<ExitCode>;
}

/**
 * Runs a subcommand the way every one of them behaves: `--help`/`-h` prints its usage (exit 0),
 * bad usage prints the problem and the usage on stderr (exit 2), anything else unexpected is
 * one line on stderr (exit 1).
 *
 * @example
 * process.exitCode = await runSubcommand(fleet, ['--help'], processIo());
 */
export async function runSubcommand(command: Subcommand, args: readonly string[], io: CommandIo): Promise<ExitCode> {
  const usage = command.usage;
  if (usage !== undefined && (args.includes('--help') || args.includes('-h'))) {
    io.stdout(usage);
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (isUsageError(error)) {
      io.stderr(`org-platform ${command.name}: ${error.message}\n\n${usage ?? ''}`);
      return EXIT.usage;
    }
    io.stderr(`org-platform ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}
