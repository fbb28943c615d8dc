import type { ServerResponse } from 'node:http';

/** Told once when a response is closed: after it was sent, or when the client hung up first. */
export type ResponseClosedListener = (res: ServerResponse) => void;

// Beside the response, not on it: under Express no two requests' request or response objects
// share a hidden class (V8's %HaveSameMap says so), so a property added to one copies that class
// anew, some 30k instructions a request on Node 20; a WeakMap entry costs a few thousand
// (bench/README.md, "price-pieces").
const listenersOf = new WeakMap<ServerResponse, ResponseClosedListener[]>();

// Listeners that release what the others read (the request's context), kept at the end of each
// response's list. Few: the same functions on every response.
const releasers = new Set<ResponseClosedListener>();

function tellListeners(this: ServerResponse): void {
  const listeners = listenersOf.get(this);
  if (listeners === undefined) return;
  listenersOf.delete(this);
  let failure: unknown;
  let failed = false;
  for (const listener of listeners) {
    try {
      listener(this);
    } catch (error) {
      if (!failed) failure = error;
      failed = true;
    }
  }
  // The emitter would have thrown the first error too; rethrow it once everyone has been told.
  if (failed) throw failure;
}

/**
 * Calls `listener` once when `res` closes. Every part of the pipeline that waits for the end of a
 * response (access log, metrics, server drain) shares one 'close' listener per response: each
 * `once()` of its own costs a wrapper, and the emitter turns its one listener into an array.
 * Listeners run in the order they were added; one that throws does not keep the others from running.
 * @internal
 */
export function onResponseClosed(res: ServerResponse, listener: ResponseClosedListener): void {
  const listeners = listenersOf.get(res);
  if (listeners === undefined) {
    listenersOf.set(res, [listener]);
    // `on`, not `once`: a response closes once, and removing the listener afterwards would cost
    // more than leaving it (tellListeners forgets the response's listeners as it calls them).
    res.on('close', tellListeners);
    return;
  }
  // Before the releasers at the end of the list, in the order added.
  let at = listeners.length;
  if (!releasers.has(listener))
    while (at > 0 && releasers.has(listeners[at - 1]!)) {
      listeners[at] = listeners[at - 1]!;
      at -= 1;
    }
  listeners[at] = listener;
}

/**
 * Calls `release` once when `res` closes, after every {@link onResponseClosed} listener, whenever
 * either was added: for letting go of what those listeners read (a request's context, which the
 * access log reads as the response closes). `release` must be the same function for every
 * response (it is remembered for the life of the process).
 * @internal
 */
export function releaseOnResponseClosed(res: ServerResponse, release: ResponseClosedListener): void {
  releasers.add(release);
  onResponseClosed(res, release);
}
