import { Worker } from 'node:worker_threads';
import { fromWireError, type WorkerOptions, type WorkerReply, type WorkerRequest } from './pglite-protocol.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';

/** Options of {@link createPgliteClient}. */
export interface PgliteClientOptions {
  /** Folder the database lives in; in memory when unset (tests). @default undefined */
  readonly dataDir?: string;
}

// The worker's file beside this one: .js when built; .ts when run from source (tests), which the
// worker then loads through tsx as this thread does.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_FILE = new URL(FROM_SOURCE ? './pglite-worker.ts' : './pglite-worker.js', import.meta.url);

/** A worker script that registers tsx's loader in its thread, then loads `file` (source runs only, from the package folder). */
function throughTsx(file: URL): string {
  return `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); });`;
}

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Starts embedded PostgreSQL (PGlite, PostgreSQL 18 in WebAssembly) **in a worker thread** and
 * wraps it as a {@link SqlClient}. PGlite's first initialisation of a folder computes for seconds;
 * in the worker it leaves the event loop free, so `/healthz` and every other request are answered
 * meanwhile. Statements are run in order, a transaction holds the others until it ends (as
 * in-process PGlite does), errors arrive with their SQLSTATE `code` and fields, and after
 * `close()` every call fails as unavailable ("PGlite is closed"). Make one per process.
 *
 * @example
 * const db = await createPgliteClient({ dataDir: '.data/pglite' });
 * await db.query('select 1 as one'); // [{ one: 1 }]
 */
export async function createPgliteClient(options: PgliteClientOptions = {}): Promise<SqlClient> {
  const workerData = { dataDir: options.dataDir } satisfies WorkerOptions;
  const worker = FROM_SOURCE
    ? new Worker(throughTsx(WORKER_FILE), { eval: true, workerData })
    : new Worker(WORKER_FILE, { workerData });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let closed: Error | undefined;
  let closing: Promise<void> | undefined;

  // Like in-process PGlite, an idle client does not keep the process alive; a call in flight does.
  const keepAlive = (): void => {
    if (pending.size > 0 || closing !== undefined) worker.ref();
    else worker.unref();
  };
  const failAll = (error: Error): void => {
    closed ??= error;
    for (const call of pending.values()) call.reject(error);
    pending.clear();
    keepAlive();
  };

  // Not removeAllListeners(): the Worker's own listeners start and stop its message port.
  let stopWaiting = (): void => undefined;
  await new Promise<void>((resolve, reject) => {
    const onMessage = (first: WorkerReply): void => {
      if (first.type === 'ready') resolve();
      else if (first.type === 'failed') reject(fromWireError(first.error));
    };
    const onExit = (code: number): void => reject(new Error(`PGlite worker exited (${code}) before it was ready`));
    worker.on('message', onMessage).on('error', reject).on('exit', onExit);
    stopWaiting = () => worker.off('message', onMessage).off('error', reject).off('exit', onExit);
  })
    .catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    })
    .finally(() => stopWaiting());
  worker.on('message', (reply: WorkerReply) => {
    if (reply.type !== 'reply') return;
    const call = pending.get(reply.id);
    if (call === undefined) return;
    pending.delete(reply.id);
    keepAlive();
    if (reply.error === undefined) call.resolve(reply.result);
    else call.reject(fromWireError(reply.error));
  });
  // A worker that dies (out of memory, a crash in WebAssembly) takes the database with it.
  worker.on('error', (error) =>
    failAll(Object.assign(new Error(`PGlite is closed: its worker failed (${error.message})`), { cause: error })),
  );
  worker.on('exit', (code) => failAll(new Error(`PGlite is closed: its worker exited (${code})`)));
  keepAlive();

  function call<T>(request: Request): Promise<T> {
    if (closed !== undefined) return Promise.reject(new Error('PGlite is closed'));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      keepAlive();
      worker.postMessage({ ...request, id });
    });
  }

  const queryable = (tx?: number): SqlQueryable => ({
    query: <R extends object>(text: string, params: readonly unknown[] = []) =>
      call<R[]>({ op: 'query', text, params, ...(tx === undefined ? {} : { tx }) }),
    exec: (script: string) => call<void>({ op: 'exec', script, ...(tx === undefined ? {} : { tx }) }),
  });

  return {
    kind: 'pglite',
    ...queryable(),
    async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const tx = await call<number>({ op: 'begin' });
      let result: T;
      try {
        result = await work(queryable(tx));
      } catch (error) {
        await call({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw error;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    },
    // One connection: the session is PGlite's own, shared with every other statement.
    session: (work) => work(queryable()),
    close(): Promise<void> {
      closing ??= (async () => {
        keepAlive();
        if (closed === undefined) {
          const exited = new Promise((resolve) => worker.once('exit', resolve));
          await call({ op: 'close' });
          closed = new Error('PGlite is closed');
          await exited;
        }
      })();
      return closing;
    },
  };
}
