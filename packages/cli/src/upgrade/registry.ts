import { runProcess, type ProcessResult } from '../consumer/run-process.js';

/** A release of `@org/platform` as the registry has it. */
export interface Release {
  readonly version: string;
  /** The range of express it needs. */
  readonly express: string | undefined;
}

// npm's own error report, in full: its reason ("No match found for version 0.2.0") is on stderr;
// with nothing there, the `{ "error": { summary, detail } }` that `--json` puts on stdout.
function failure(args: readonly string[], result: ProcessResult): Error {
  const said = result.stderr.trim() !== '' ? result.stderr.trim() : result.stdout.trim();
  return new Error(
    `npm view ${args.join(' ')} failed (exit ${result.code}):\n${said === '' ? '(npm printed nothing)' : said}`,
  );
}

async function view(root: string, env: NodeJS.ProcessEnv, args: readonly string[]): Promise<unknown> {
  // npm reads the project's .npmrc (a private registry for @org), as the install will. Its answer
  // is read from stdout alone: notices ("New minor version of npm available!") go to stderr.
  const result = await runProcess('npm', ['view', ...args, '--json'], { cwd: root, env });
  if (result.code !== 0) throw failure(args, result);
  try {
    return JSON.parse(result.stdout) as unknown;
  } catch {
    throw new Error(
      `npm view ${args.join(' ')} printed something other than JSON on stdout:\n${result.stdout.trim().slice(0, 2000)}${result.stderr.trim() === '' ? '' : `\nstderr:\n${result.stderr.trim()}`}`,
    );
  }
}

/**
 * Resolves `latest` (or any dist-tag or version) of `@org/platform` in the project's registry.
 *
 * @example
 * await resolveRelease(process.cwd(), process.env, 'latest'); // { version: '0.2.0', express: '^5.0.0' }
 */
export async function resolveRelease(root: string, env: NodeJS.ProcessEnv, spec: string): Promise<Release> {
  const found = (await view(root, env, [`@org/platform@${spec}`, 'version', 'peerDependencies'])) as
    { version?: string; peerDependencies?: Record<string, string> } | { version?: string }[];
  const release = Array.isArray(found) ? found.at(-1) : found;
  if (release?.version === undefined) throw new Error(`@org/platform@${spec} is not in the registry`);
  return {
    version: release.version,
    express: (release as { peerDependencies?: Record<string, string> }).peerDependencies?.express,
  };
}

/**
 * Every published version of `@org/platform`.
 *
 * @example
 * await publishedVersions(process.cwd(), process.env); // ['0.1.0', '0.2.0']
 */
export async function publishedVersions(root: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const versions = await view(root, env, ['@org/platform', 'versions']);
  return Array.isArray(versions)
    ? versions.filter((v): v is string => typeof v === 'string')
    : typeof versions === 'string'
      ? [versions]
      : [];
}
