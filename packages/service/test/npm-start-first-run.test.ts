// What a newcomer meets with the README's commands, run for real from the repository root: the
// `.env` they put there is the one read, and a second `npm start` says in one line why it stops.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, npmStart, repositoryRoot, type NpmStart } from './fixtures/npm-start.js';

const rootEnvFile = join(repositoryRoot, '.env');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function removeFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}.lock`, { recursive: true, force: true });
  rmSync(`${dir}.lock-holder.json`, { force: true });
}

describe('npm start and npm run token from the repository root (real npm, workspace script and service)', function () {
  this.timeout(180_000);
  const started: NpmStart[] = [];
  const folders: string[] = [];
  const folder = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'entities-first-run-'));
    folders.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const run of started.splice(0)) {
      try {
        process.kill(-run.npm.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await run.groupGone().catch(() => undefined);
    }
    for (const dir of folders.splice(0)) removeFolder(dir);
  });

  describe('a .env at the repository root', () => {
    before(function () {
      // Never overwrite a developer's own .env; in CI (a fresh clone) there is none.
      if (existsSync(rootEnvFile)) this.skip();
    });
    afterEach(() => rmSync(rootEnvFile, { force: true }));

    it('is read by npm start (the environment still wins over it)', async () => {
      writeFileSync(rootEnvFile, 'SERVICE_NAME=from-root-dotenv\nGIT_COMMIT=dotenv-commit\nLOG_LEVEL=debug\n');
      const run = npmStart(folder(), { LOG_LEVEL: 'info' });
      started.push(run);
      await run.waitFor('service_ready', 120_000);
      const url = String((await run.waitFor('server_listening')).url);
      const version = (await (await fetch(`${url}/version`)).json()) as Record<string, unknown>;
      expect(version).to.include({ service_name: 'from-root-dotenv', commit: 'dotenv-commit' });
      expect(
        run.events.every((e) => e.level !== 'debug'),
        'LOG_LEVEL from the environment wins',
      ).to.equal(true);
    });

    it('is read by npm run token, which refuses when that .env configures Clerk', () => {
      writeFileSync(rootEnvFile, 'CLERK_SECRET_KEY=sk_test_from_root_dotenv\n');
      const run = spawnSync('npm', ['run', '-s', 'token', '--', '--user', 'user_dotenv'], {
        cwd: repositoryRoot,
        env: { ...cleanEnv(), npm_config_update_notifier: 'false' },
        encoding: 'utf8',
      });
      expect(run.status, run.stdout).to.equal(2);
      expect(run.stderr).to.contain('the service verifies tokens with Clerk here');
      expect(run.stdout).to.equal('');
    });
  });

  it('a second npm start stops with one startup_failed line and no stack: the data folder in use names PGLITE_DIR, a busy port names PORT', async () => {
    const port = await freePort();
    const dataDir = folder();
    const first = npmStart(dataDir, { PORT: String(port) });
    started.push(first);
    await first.waitFor('service_ready', 120_000);

    const sameFolder = npmStart(dataDir, { PORT: String(port) });
    started.push(sameFolder);
    expect(await sameFolder.exited).to.equal(1);
    const otherFolder = npmStart(folder(), { PORT: String(port) });
    started.push(otherFolder);
    expect(await otherFolder.exited).to.equal(1);

    for (const [run, names] of [
      [sameFolder, [dataDir, 'PGLITE_DIR']],
      [otherFolder, [`port ${port}`, 'PORT']],
    ] as const) {
      const failed = run.events.filter((e) => e.event === 'startup_failed');
      expect(failed, run.output()).to.have.length(1);
      for (const name of names) expect(failed[0]!.reason).to.be.a('string').and.include(name);
      expect(run.output()).not.to.match(/"stack"|\n\s+at .+:\d+:\d+/);
      expect(
        run.events.filter((e) => e.level === 'error'),
        'error lines',
      ).to.have.length(1);
    }
    // The first one was never disturbed.
    const url = String((await first.waitFor('server_listening')).url);
    expect((await fetch(`${url}/readyz`)).status).to.equal(200);
  });
});
