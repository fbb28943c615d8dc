import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { onResponseClosed } from '../http/response-closed.js';

/** Graceful closing of one HTTP server. @internal */
export interface ServerDrain {
  /** Requests being served right now. */
  inFlight(): number;
  /**
   * From now on every response says `Connection: close`, so keep-alive clients stop reusing
   * their sockets while the server still accepts new ones (the shutdown delay); by the time it
   * closes, few sockets are left idle to race a client's next request.
   */
  startDraining(): void;
  /**
   * Stops accepting connections, answers in-flight requests with `Connection: close`, closes
   * idle keep-alive sockets (and each one that turns idle), and resolves true once every
   * connection is gone, or false after `timeoutMs`, when the remaining ones are cut.
   */
  close(timeoutMs: number): Promise<boolean>;
}

/**
 * Watches a server's requests so that it can later be closed without dropping any: a keep-alive
 * socket is only ever closed between requests, and a request that is being served gets its
 * answer with `Connection: close` so the client opens its next request elsewhere.
 * @internal
 */
export function trackServer(server: Server): ServerDrain {
  const active = new Set<ServerResponse>();
  let draining = false;
  let closing = false;

  function closeIdleSoon(): void {
    // After 'finish' the socket turns idle only once Node has processed the end of the response.
    setImmediate(() => server.closeIdleConnections());
  }

  function forget(res: ServerResponse): void {
    active.delete(res);
  }

  // Only once the listener is closed: while it still accepts, an "idle" socket may be a fresh
  // connection whose first request is on its way. (A `Connection: close` answer ends its own
  // socket anyway; this catches sockets whose answer went out before draining began.) So a
  // response is watched for 'finish' only from then on, not on every request.
  function closeIdleWhenSent(res: ServerResponse): void {
    if (!res.writableFinished) res.once('finish', closeIdleSoon);
  }

  // prepend: runs before the app, so the header is there whatever the app does.
  server.prependListener('request', function trackRequest(_req: IncomingMessage, res: ServerResponse) {
    if (draining) res.setHeader('Connection', 'close');
    active.add(res);
    onResponseClosed(res, forget);
    if (closing) closeIdleWhenSent(res);
  });

  return {
    inFlight: () => active.size,
    startDraining() {
      // Idle sockets stay open: a client may be sending its next request on one right now, and
      // its answer will say `Connection: close`. They are closed when the server closes.
      draining = true;
      for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close');
    },
    close(timeoutMs) {
      draining = true;
      closing = true;
      for (const res of active) {
        if (!res.headersSent) res.setHeader('Connection', 'close');
        closeIdleWhenSent(res);
      }
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve(false);
        }, timeoutMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve(true);
        });
        server.closeIdleConnections();
      });
    },
  };
}
