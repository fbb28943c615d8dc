// The messages between the service and its PGlite worker thread (pglite-worker.ts).

/** A request to the worker; `tx` names an open transaction, else the statement runs on its own. */
export type WorkerRequest =
  | {
      readonly id: number;
      readonly op: 'query';
      readonly text: string;
      readonly params: readonly unknown[];
      readonly tx?: number;
    }
  | { readonly id: number; readonly op: 'exec'; readonly script: string; readonly tx?: number }
  | { readonly id: number; readonly op: 'begin' }
  | { readonly id: number; readonly op: 'end'; readonly tx: number; readonly commit: boolean }
  | { readonly id: number; readonly op: 'close' };

/** An error as it crosses the thread boundary: its name, message and own fields (SQLSTATE `code`, `detail`, ...). */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
}

/** What the worker answers: once `ready` (or `failed` to open), then one reply per request. */
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: WireError }
  | { readonly type: 'reply'; readonly id: number; readonly result?: unknown; readonly error?: WireError };

/** What the worker is started with. */
export interface WorkerOptions {
  readonly dataDir?: string;
}

/** An error as the worker sends it: primitive own fields only, so the other side can rebuild it. */
export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return { name: error.name, message: error.message, fields };
}

/** The error the caller gets: same name, message and fields (`code` included) as in the worker. */
export function fromWireError(wire: WireError): Error {
  const error = Object.assign(new Error(wire.message), wire.fields);
  Object.defineProperty(error, 'name', { value: wire.name, enumerable: false, configurable: true, writable: true });
  return error;
}
