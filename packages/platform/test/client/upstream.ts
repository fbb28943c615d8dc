import { isUpstreamError, type UpstreamError } from '../../src/index.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** What the fake upstream does with one request. */
export type Step =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly status: number; readonly raw: Buffer; readonly headers: Readonly<Record<string, string>> }
  | 'hang'
  | 'reset'
  | 'truncate';

/** One request the upstream saw. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The caller's port: the same on two requests of one connection. */
  readonly remotePort: number | undefined;
}

/** A real HTTP server on 127.0.0.1 that answers from a script, then with a default step. */
export interface Upstream {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Queues steps for the next requests. */
  script(...steps: Step[]): void;
  /** What to do once the script is used up. */
  otherwise(step: Step): void;
  /** Resolves when the upstream has seen `count` requests in all. */
  seen(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startUpstream(fallback: Step = { status: 200, body: { ok: true } }): Promise<Upstream> {
  const queue: Step[] = [];
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const waiters: { count: number; resolve: () => void }[] = [];
  let otherwise = fallback;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: req.socket.remotePort,
      });
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const step = queue.shift() ?? otherwise;
      if (step === 'hang') return;
      if (step === 'reset') {
        req.socket.destroy();
        return;
      }
      if (step === 'truncate') {
        // The head promises 100 bytes; the connection ends after 10 of them.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"data":[1');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      if ('raw' in step) {
        res.writeHead(step.status, step.headers);
        res.end(step.raw);
        return;
      }
      const body = step.body === undefined ? '' : typeof step.body === 'string' ? step.body : JSON.stringify(step.body);
      const type = typeof step.body === 'string' ? 'text/plain' : 'application/json';
      res.writeHead(step.status, { 'content-type': type, ...step.headers });
      res.end(body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...steps) => void queue.push(...steps),
    otherwise: (step) => void (otherwise = step),
    seen: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An address where connecting never completes, and how to let go of it. */
export interface SilentListener {
  readonly url: string;
  close(): Promise<void>;
}

// A listener in another process that never accepts: its thread blocks as soon as it listens.
const NEVER_ACCEPTS = `
const server = require('node:net').createServer();
server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
  process.stdout.write(server.address().port + '\\n', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));
});`;

/**
 * A real port where a TCP connect hangs: a process listens with a backlog of one and never
 * accepts, and the connections made here fill its queue, so the kernel drops the next SYNs.
 */
export async function startSilentListener(): Promise<SilentListener> {
  const child = spawn(process.execPath, ['-e', NEVER_ACCEPTS], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [first] = (await once(child.stdout, 'data')) as [Buffer];
  const port = Number(first.toString('utf8').trim());
  const fillers: Socket[] = [];
  // Until a connect hangs: then the queue is full (the kernel takes backlog + 1 before it drops).
  for (let i = 0; i < 8; i++) {
    const socket = connect(port, '127.0.0.1');
    fillers.push(socket);
    const connected = await Promise.race([
      once(socket, 'connect').then(() => true),
      new Promise<boolean>((resolve) => setTimeout(resolve, 200, false)),
    ]);
    if (!connected) break;
    if (i === 7) throw new Error('the listener kept accepting connections');
  }
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of fillers) socket.destroy();
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}

/** The UpstreamError a call rejects with (fails the test when it resolves or rejects otherwise). */
export async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    if (isUpstreamError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to reject');
}

/** What a call rejects with, whatever it is (fails the test when the call resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject');
}
