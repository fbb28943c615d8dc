import { expect } from 'chai';
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onResponseClosed, releaseOnResponseClosed } from '../../src/http/response-closed.js';

/** A real server whose handler gets each response; `get()` makes one request and resolves when the server side has closed. */
async function withServer(
  handle: (res: ServerResponse) => void,
  run: (get: () => Promise<void>) => Promise<void>,
): Promise<void> {
  let closed: () => void = () => undefined;
  const server = http.createServer((_req, res) => {
    // First: a listener that throws would keep the emitter from calling later ones.
    res.once('close', () => setImmediate(closed));
    handle(res);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const get = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      closed = resolve;
      http.get({ host: '127.0.0.1', port, agent: false }, (response) => response.resume()).on('error', reject);
    });
  try {
    await run(get);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('onResponseClosed', () => {
  it('tells every listener once, in order, through a single close listener', async () => {
    const calls: string[] = [];
    let closeListeners = -1;
    await withServer(
      (res) => {
        const before = res.listenerCount('close');
        onResponseClosed(res, (closedRes) => calls.push(closedRes === res ? 'a' : 'wrong response'));
        onResponseClosed(res, () => calls.push('b'));
        onResponseClosed(res, () => calls.push('c'));
        closeListeners = res.listenerCount('close') - before;
      },
      async (get) => {
        await get();
        await get();
      },
    );
    expect(closeListeners).to.equal(1);
    expect(calls).to.deep.equal(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('still tells the others when one throws, then rethrows the first error', async () => {
    const calls: string[] = [];
    const thrown: unknown[] = [];
    await withServer(
      (res) => {
        onResponseClosed(res, () => {
          calls.push('first');
          throw new Error('first failure');
        });
        onResponseClosed(res, () => {
          calls.push('second');
          throw new Error('second failure');
        });
        onResponseClosed(res, () => calls.push('third'));
        // Catch what the emitter rethrows, before it reaches the process.
        const emit = res.emit.bind(res);
        res.emit = ((event: string, ...args: unknown[]) => {
          try {
            return emit(event, ...args);
          } catch (error) {
            thrown.push(error);
            return true;
          }
        }) as typeof res.emit;
      },
      (get) => get(),
    );
    expect(calls).to.deep.equal(['first', 'second', 'third']);
    expect(thrown.map((error) => (error as Error).message)).to.deep.equal(['first failure']);
  });

  it('tells a releaser after every other listener, whether it was added before or after them', async () => {
    const calls: string[] = [];
    const release = (): void => {
      calls.push('release');
    };
    await withServer(
      (res) => {
        releaseOnResponseClosed(res, release);
        onResponseClosed(res, () => calls.push('a'));
        onResponseClosed(res, () => calls.push('b'));
      },
      async (get) => {
        await get();
      },
    );
    await withServer(
      (res) => {
        onResponseClosed(res, () => calls.push('c'));
        releaseOnResponseClosed(res, release);
        onResponseClosed(res, () => calls.push('d'));
      },
      (get) => get(),
    );
    expect(calls).to.deep.equal(['a', 'b', 'release', 'c', 'd', 'release']);
  });
});
