import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalSessionToken, ensureLocalSigningKey } from '@org/platform/auth';
import { LOCAL_AUTH_DIR } from '../../src/local-data.js';
import { startServiceProcess, type ServiceProcess } from '../fixtures/service-process.js';

const serviceDir = fileURLToPath(new URL('../..', import.meta.url));

/** Every id of the owner's entities, page by page (newest first, through `next_cursor`). */
async function allIds(url: string, auth: Record<string, string>): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | null = null;
  do {
    const res = await fetch(
      `${url}/api/v1/entities?limit=100${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      { headers: auth },
    );
    expect(res.status).to.equal(200);
    const page = (await res.json()) as { data: { id: string }[]; next_cursor: string | null };
    for (const entity of page.data) ids.add(entity.id);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return ids;
}

describe('faults: one process per PGlite folder (the built service, real processes)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let first: ServiceProcess | undefined;
  let second: ServiceProcess | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'entities-one-writer-'));
  });
  afterEach(() => {
    first?.child.kill('SIGKILL');
    second?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.lock`, { recursive: true, force: true });
    rmSync(`${dataDir}.lock-holder.json`, { force: true });
  });

  it('refuses a second process on the same folder within seconds, with one line naming the folder and the holder; the token command is not blocked', async () => {
    first = await startServiceProcess(dataDir);
    const started = Date.now();
    const run = spawnSync(process.execPath, ['dist/main.js'], {
      cwd: serviceDir,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_FORMAT: 'json',
        ENVIRONMENT: 'local',
        DATABASE_URL: '',
        SUPABASE_URL: '',
        SUPABASE_SERVICE_KEY: '',
        SENTRY_DSN: '',
        PGLITE_DIR: dataDir,
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).to.equal(1);
    expect(Date.now() - started).to.be.below(5000);
    const failures = run.stdout.split('\n').filter((line) => line.includes('startup_failed'));
    expect(failures).to.have.length(1);
    const line = JSON.parse(failures[0]!) as { level: string; reason: string };
    expect(line.level).to.equal('error');
    expect(line.reason).to.include(dataDir).and.include(`pid ${first.child.pid}`);
    expect(run.stdout + run.stderr).not.to.include('    at ');
    expect(run.stdout).not.to.include('server_listening');

    // `npm run token` reads the key beside the data folder, never the folder's lock.
    const token = spawnSync(process.execPath, ['dist/token.js', '--user', 'user_token'], {
      cwd: serviceDir,
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(token.status).to.equal(0);
    expect(token.stdout.trim()).to.match(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    expect((await fetch(`${first.url}/readyz`)).status, 'the holder goes on serving').to.equal(200);
  });

  it('after its holder is killed with SIGKILL under write load, the next start takes the folder over and every acknowledged write is there', async () => {
    first = await startServiceProcess(dataDir);
    const auth = {
      Authorization: `Bearer ${createLocalSessionToken(ensureLocalSigningKey(LOCAL_AUTH_DIR), { userId: 'user_sigkill' })}`,
    };
    const acknowledged: string[] = [];
    let writing = true;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; writing; i += 1) {
        try {
          const res = await fetch(`${first!.url}/api/v1/entities`, {
            method: 'POST',
            headers: { ...auth, 'Content-Type': 'application/json' },
            body: JSON.stringify({ title: `writer ${w} #${i}` }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
        } catch {
          // The process died under this request: it was never acknowledged.
        }
      }
    });
    while (acknowledged.length < 150) await new Promise((resolve) => setTimeout(resolve, 20));
    first.child.kill('SIGKILL');
    writing = false;
    await Promise.all(writers);
    await first.exited;

    const restarted = Date.now();
    second = await startServiceProcess(dataDir);
    const took = Date.now() - restarted;
    const ids = await allIds(second.url, auth);
    const missing = acknowledged.filter((id) => !ids.has(id));
    process.stdout.write(
      `\n    ${acknowledged.length} writes acknowledged before SIGKILL, ${ids.size} found after the restart (${took} ms to take the folder over and start)\n`,
    );
    expect(missing, 'acknowledged writes lost').to.deep.equal([]);
    expect(
      second.events.some((e) => e.event === 'data_folder_locked'),
      'it waited for the dead holder’s lock to go stale',
    ).to.equal(true);
  });
});
