import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';

/** Who holds a data folder's lock, as it recorded itself. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** A data folder held by this process until {@link DataFolderLock.release}. */
export interface DataFolderLock {
  readonly folder: string;
  /** Gives the folder up (after the database in it was closed). Idempotent. */
  release(): Promise<void>;
}

/** Options of {@link lockDataFolder}. */
export interface LockDataFolderOptions {
  /**
   * A lock its holder has not refreshed for this long is stale (its holder died, SIGKILL
   * included) and is taken over. The holder refreshes it every fifth of this. @default 5000
   */
  readonly staleMs?: number;
  /** Told when the folder is locked by a holder that may be gone, before waiting for its lock to go stale. */
  readonly onWait?: (holder: LockHolder | undefined, waitMs: number) => void;
  /**
   * Called if the lock is lost while held (this process was frozen past `staleMs` and another
   * took the folder over): the caller must stop writing at once. @default throw, ending the process
   */
  readonly onLost?: (error: Error) => void;
}

/**
 * Another process holds the folder. Recognised by `name`.
 *
 * @example
 * if (isDataFolderLockedError(error)) logger.error('startup_failed', { reason: error.message });
 */
export class DataFolderLockedError extends Error {
  override readonly name = 'DataFolderLockedError';

  constructor(
    readonly folder: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who =
      holder === undefined
        ? 'another process'
        : `another process (pid ${holder.pid} on ${holder.host}, since ${holder.since})`;
    super(
      `the data folder ${folder} is in use by ${who}: one folder serves one process. Stop that process, or set PGLITE_DIR to another folder.`,
    );
  }
}

/**
 * Whether an error is a {@link DataFolderLockedError} (by name, not `instanceof`).
 *
 * @example
 * if (isDataFolderLockedError(error)) process.exit(1);
 */
export function isDataFolderLockedError(error: unknown): error is DataFolderLockedError {
  return error instanceof Error && error.name === 'DataFolderLockedError';
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.since === 'string'
      ? (parsed as LockHolder)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A holder that is visibly alive: a process of that pid runs on this host, and it is not us. */
function isAliveHere(holder: LockHolder | undefined): boolean {
  if (holder === undefined || holder.host !== hostname() || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * Takes the exclusive lock on an embedded database's folder (PGlite), so that two processes
 * never open it together: each would serve a copy of its own, and writes acknowledged by one are
 * lost to the other. The lock is `<folder>.lock`, made with `proper-lockfile` (an atomic `mkdir`,
 * refreshed while held, stale once its holder stops refreshing it); `<folder>.lock-holder.json`
 * names the holder for the error message. A holder that is alive on this host makes the call fail
 * at once; otherwise (its holder was killed, or runs elsewhere) it waits until the lock could be
 * stale, takes it over if it is, and fails if it is still refreshed.
 *
 * @throws DataFolderLockedError when another process holds the folder.
 * @example
 * const lock = await lockDataFolder('.data/pglite', { onLost: () => process.exit(1) });
 * // ... open PGlite on the folder, serve, close it ...
 * await lock.release();
 */
export async function lockDataFolder(folder: string, options: LockDataFolderOptions = {}): Promise<DataFolderLock> {
  const staleMs = options.staleMs ?? 5000;
  const lockPath = `${folder}.lock`;
  const holderPath = `${folder}.lock-holder.json`;
  mkdirSync(folder, { recursive: true });
  const lockOptions = {
    lockfilePath: lockPath,
    stale: staleMs,
    update: Math.max(1000, Math.floor(staleMs / 5)),
    realpath: false,
    onCompromised:
      options.onLost ??
      ((error: Error) => {
        throw error;
      }),
  };
  let unlock: () => Promise<void>;
  try {
    unlock = await lockfile.lock(folder, lockOptions);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ELOCKED') throw error;
    const holder = readHolder(holderPath);
    if (isAliveHere(holder)) throw new DataFolderLockedError(folder, holder);
    // Its holder may be dead (SIGKILL leaves the lock behind): wait until the lock would be stale.
    const waitMs = staleMs + 1000;
    options.onWait?.(holder, waitMs);
    try {
      unlock = await lockfile.lock(folder, {
        ...lockOptions,
        retries: { retries: Math.ceil(waitMs / 250), factor: 1, minTimeout: 250, maxTimeout: 250 },
      });
    } catch (retryError) {
      if ((retryError as { code?: unknown }).code === 'ELOCKED')
        throw new DataFolderLockedError(folder, readHolder(holderPath) ?? holder);
      throw retryError;
    }
  }
  writeFileSync(
    holderPath,
    `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() } satisfies LockHolder)}\n`,
  );
  let released: Promise<void> | undefined;
  return {
    folder,
    release() {
      released ??= (async () => {
        rmSync(holderPath, { force: true });
        // A lock that was lost (see onLost) is no longer ours to remove.
        await unlock().catch((error: unknown) => {
          if ((error as { code?: unknown }).code !== 'ERELEASED') throw error;
        });
      })();
      return released;
    },
  };
}
