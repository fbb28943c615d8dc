import { runConformanceCommand } from '@org/platform/testing';
import type { ExitCode } from '../command/exit-codes.js';
import type { Subcommand } from '../command/subcommand.js';

/**
 * `org-platform conformance`: the platform's own conformance command line (the one behind
 * `org-platform-conformance`), under this command's name. Same flags, same report, same exit codes.
 */
export const conformance: Subcommand = {
  name: 'conformance',
  summary: 'run the conformance kit of @org/platform/testing against a running service',
  // No usage here: the kit's command line prints its own (`--help`, bad usage), so it stays the one source.
  async run(args, io) {
    return (await runConformanceCommand(args, {
      name: 'org-platform conformance',
      stdout: io.stdout,
      stderr: io.stderr,
    })) as ExitCode;
  },
};
