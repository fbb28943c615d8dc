// Runs one fixture script (against the built dist/: run `pnpm run build` first) as a real
// process and follows its JSON log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type LogEntry = Record<string, unknown> & { event: string };

export interface ChildService {
  readonly process: ChildProcess;
  readonly url: string;
  readonly entries: LogEntry[];
  /** Everything the child wrote, stdout and stderr. */
  output(): string;
  /** Resolves with the first log entry of `event` (already seen or still to come). */
  waitFor(event: string, timeoutMs?: number): Promise<LogEntry>;
  readonly exited: Promise<number | null>;
}

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** Starts a fixture of test/lifecycle/fixtures by name, or a TypeScript file by its path from the package (run through tsx). */
export async function startChild(fixture: string, env: Record<string, string> = {}): Promise<ChildService> {
  const args = fixture.endsWith('.ts') ? ['--import', 'tsx', fixture] : [`test/lifecycle/fixtures/${fixture}.mjs`];
  const child = spawn(process.execPath, args, {
    cwd: packageDir,
    // Children run the built dist/; their coverage would be merged into src/ with other offsets.
    env: {
      ...withoutCoverage(process.env),
      PORT: '0',
      HOST: '127.0.0.1',
      ENVIRONMENT: 'local',
      SHUTDOWN_DELAY_MS: '0',
      LOG_LEVEL: 'debug',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const entries: LogEntry[] = [];
  const waiters: { event: string; resolve: (entry: LogEntry) => void }[] = [];
  let text = '';
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as LogEntry;
      entries.push(entry);
      for (const waiter of waiters.filter((w) => w.event === entry.event)) waiter.resolve(entry);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  function waitFor(event: string, timeoutMs = 10_000): Promise<LogEntry> {
    const seen = entries.find((e) => e.event === event);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "${event}" log line within ${timeoutMs} ms; output:\n${text}`)),
        timeoutMs,
      );
      waiters.push({ event, resolve: (entry) => (clearTimeout(timer), resolve(entry)) });
      void exited.then(() => setImmediate(() => reject(new Error(`child exited before "${event}"; output:\n${text}`))));
    });
  }
  const listening = await waitFor('server_listening');
  return { process: child, url: String(listening.url), entries, output: () => text, waitFor, exited };
}

/** Kills a child a failed test left behind. */
export function stopChild(child: ChildService | undefined): void {
  if (child !== undefined && child.process.exitCode === null && child.process.signalCode === null)
    child.process.kill('SIGKILL');
}

function withoutCoverage(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_V8_COVERAGE: _coverage, ...rest } = env;
  return rest;
}
