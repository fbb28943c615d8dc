import { spawn } from 'node:child_process';

/** How a child process ended and what it printed. */
export interface ProcessResult {
  readonly code: number;
  /** Standard output alone: what a command's machine-readable answer (`npm view --json`) is read from. */
  readonly stdout: string;
  /** Standard error alone: notices, warnings and the reasons of a failure. */
  readonly stderr: string;
  /** Both, interleaved as they came: what a person reads. */
  readonly output: string;
}

// What npm sets for the scripts and `npx` runs it starts. Passed on, it would retarget the
// consumer's own install (npm_config_prefix, npm_package_*...); the user's registry and auth stay.
function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([key]) => {
      const k = key.toLowerCase();
      if (/^npm_(lifecycle|package|command|execpath|node_execpath)/.test(k)) return false;
      if (k.startsWith('npm_config_')) return /registry|userconfig|globalconfig|cache|_auth|strict_ssl|cafile/.test(k);
      return true;
    }),
  );
}

/**
 * Runs a command in `cwd` and resolves with its exit code and output, standard output and error
 * apart and together (never rejects for a non-zero exit; a command that cannot start resolves with code 127 and the reason).
 *
 * @example
 * const { code, output } = await runProcess('git', ['status', '--porcelain'], { cwd, env: process.env });
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: childEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stdout += text;
      output += text;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stderr += text;
      output += text;
    });
    child.on('error', (error) =>
      resolve({ code: 127, stdout, stderr: `${command}: ${error.message}`, output: `${command}: ${error.message}` }),
    );
    child.on('close', (code, signal) => resolve({ code: code ?? (signal === null ? 1 : 128), stdout, stderr, output }));
  });
}
