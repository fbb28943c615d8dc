// The PGlite worker thread: embedded PostgreSQL runs here, off the service's event loop (its first
// initialisation computes for seconds in WebAssembly, which would stall every request meanwhile).
// It answers the requests of pglite-client.ts one by one, in PGlite's own order: a statement sent
// while a transaction is open waits for it, as it would in-process.
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { toWireError, type WorkerOptions, type WorkerReply, type WorkerRequest } from './pglite-protocol.js';

const port = parentPort!;
const options = workerData as WorkerOptions;
const send = (reply: WorkerReply): void => port.postMessage(reply);

interface OpenTransaction {
  readonly tx: Transaction;
  /** Settles the transaction's callback: commit (resolve) or roll back (reject). */
  end(commit: boolean): void;
  /** Settles when PGlite committed or rolled back. */
  readonly done: Promise<unknown>;
}

// Rejecting the transaction's callback with it makes PGlite roll back; it is not a failure.
const ROLLBACK = new Error('rollback requested');

async function open(): Promise<PGlite> {
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  return PGlite.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
}

function serve(db: PGlite): void {
  const transactions = new Map<number, OpenTransaction>();
  let nextTx = 1;

  function begin(): Promise<number> {
    return new Promise<number>((started, failed) => {
      const id = nextTx++;
      let end!: (commit: boolean) => void;
      const done = db
        .transaction((tx) => {
          started(id);
          return new Promise<void>((resolve, reject) => {
            end = (commit) => (commit ? resolve() : reject(ROLLBACK));
            transactions.set(id, { tx, end, done });
          });
        })
        .catch((error: unknown) => {
          if (error !== ROLLBACK) throw error;
        })
        .finally(() => transactions.delete(id));
      // BEGIN itself failed: the callback never ran.
      done.catch(failed);
    });
  }

  function target(tx: number | undefined): PGlite | Transaction {
    if (tx === undefined) return db;
    const open = transactions.get(tx);
    if (open === undefined) throw new Error(`transaction ${tx} is not open`);
    return open.tx;
  }

  async function handle(request: WorkerRequest): Promise<unknown> {
    switch (request.op) {
      case 'query':
        return (await target(request.tx).query(request.text, [...request.params])).rows;
      case 'exec':
        await target(request.tx).exec(request.script);
        return undefined;
      case 'begin':
        return begin();
      case 'end': {
        const open = transactions.get(request.tx);
        if (open === undefined) throw new Error(`transaction ${request.tx} is not open`);
        open.end(request.commit);
        await open.done;
        return undefined;
      }
      case 'close':
        await db.close();
        return undefined;
    }
  }

  port.on('message', (request: WorkerRequest) => {
    void handle(request)
      .then(
        (result) => send({ type: 'reply', id: request.id, result }),
        (error: unknown) => send({ type: 'reply', id: request.id, error: toWireError(error) }),
      )
      // Closed: nothing is left to keep the thread alive, so it ends.
      .finally(() => request.op === 'close' && port.close());
  });
}

open().then(
  (db) => {
    serve(db);
    send({ type: 'ready' });
  },
  (error: unknown) => {
    send({ type: 'failed', error: toWireError(error) });
    port.close();
  },
);
