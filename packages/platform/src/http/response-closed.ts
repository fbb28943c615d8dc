import type { ServerResponse } from 'node:http';

/** Told once when a response is closed: after it was sent, or when the client hung up first. */
export type ResponseClosedListener = (res: ServerResponse) => void;

const LISTENERS = Symbol('responseClosedListeners');

type WatchedResponse = ServerResponse & { [LISTENERS]?: ResponseClosedListener[] };

/**
 * Calls `listener` once when `res` closes. Every part of the pipeline that waits for the end of a
 * response (access log, metrics, server drain) shares one 'close' listener per response: each
 * `once()` of its own costs a wrapper, and the emitter turns its one listener into an array.
 * Listeners run in the order they were added; one that throws does not keep the others from running.
 * @internal
 */
export function onResponseClosed(res: ServerResponse, listener: ResponseClosedListener): void {
  const watched = res as WatchedResponse;
  const listeners = watched[LISTENERS];
  if (listeners !== undefined) {
    listeners.push(listener);
    return;
  }
  const first: ResponseClosedListener[] = [listener];
  watched[LISTENERS] = first;
  res.once('close', function responseClosed() {
    let failure: unknown;
    let failed = false;
    for (const each of first) {
      try {
        each(res);
      } catch (error) {
        if (!failed) failure = error;
        failed = true;
      }
    }
    // The emitter would have thrown the first error too; rethrow it once everyone has been told.
    if (failed) throw failure;
  });
}
