/** Where a command writes and where it runs: the process in `main.ts`, something else in tests. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The directory the command works in (the consumer's project for migrate and upgrade). */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The io of this process.
 *
 * @example
 * const code = await fleetCommand(['http://127.0.0.1:8000'], processIo());
 */
export function processIo(): CommandIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
  };
}
