import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDataFolderLockedError, lockDataFolder } from '../../src/db/data-folder-lock.js';

describe('lockDataFolder', function () {
  this.timeout(20_000);
  let root: string;
  let folder: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'entities-lock-'));
    folder = join(root, 'pglite');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('holds the folder, names its holder, and gives it up on release', async () => {
    const lock = await lockDataFolder(folder);
    expect(existsSync(`${folder}.lock`)).to.equal(true);
    expect(JSON.parse(readFileSync(`${folder}.lock-holder.json`, 'utf8'))).to.include({
      pid: process.pid,
      host: hostname(),
    });
    await lock.release();
    await lock.release();
    expect(existsSync(`${folder}.lock`)).to.equal(false);
    expect(existsSync(`${folder}.lock-holder.json`)).to.equal(false);
    await (await lockDataFolder(folder)).release();
  });

  it('refuses at once while a live process on this host holds it, naming the folder and the holder', async () => {
    // A live process that is not us, recorded as the holder of a lock that is fresh.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      const lock = await lockDataFolder(folder);
      writeFileSync(
        `${folder}.lock-holder.json`,
        JSON.stringify({ pid: other.pid, host: hostname(), since: '2026-11-29T00:00:00.000Z' }),
      );
      const started = Date.now();
      const error = await lockDataFolder(folder).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(Date.now() - started).to.be.below(1000);
      expect(isDataFolderLockedError(error)).to.equal(true);
      expect(String((error as Error).message))
        .to.include(folder)
        .and.include(`pid ${other.pid}`)
        .and.include('PGLITE_DIR');
      await lock.release();
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a lock whose holder died without releasing it, once the lock has gone stale', async () => {
    const waits: number[] = [];
    // What a holder killed with SIGKILL leaves behind: the lock, fresh, and the holder file naming a dead pid.
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.once('exit', resolve));
    mkdirSync(folder, { recursive: true });
    mkdirSync(`${folder}.lock`);
    writeFileSync(
      `${folder}.lock-holder.json`,
      JSON.stringify({ pid: dead.pid, host: hostname(), since: '2026-11-29T00:00:00.000Z' }),
    );
    const started = Date.now();
    const lock = await lockDataFolder(folder, { staleMs: 2000, onWait: (_holder, ms) => waits.push(ms) });
    expect(waits).to.deep.equal([3000]);
    expect(Date.now() - started).to.be.within(1500, 4000);
    expect(JSON.parse(readFileSync(`${folder}.lock-holder.json`, 'utf8'))).to.include({ pid: process.pid });
    await lock.release();
  });

  it('tells the holder when it lost the lock (the folder was taken over while it was frozen)', async () => {
    const lost: Error[] = [];
    await lockDataFolder(folder, { staleMs: 2000, onLost: (error) => lost.push(error) });
    // Another process took the folder over: the lock is not the one this holder refreshes any more.
    rmSync(`${folder}.lock`, { recursive: true });
    for (let i = 0; i < 60 && lost.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lost).to.have.length(1);
  });
});
