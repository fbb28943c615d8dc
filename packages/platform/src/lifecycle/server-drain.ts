import type { IncomingMessage, Server, ServerResponse } from 'node:http';

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

  function closeIdleSoon(): void {
    // After 'finish' the socket turns idle only once Node has processed the end of the response.
    setImmediate(() => server.closeIdleConnections());
  }

  // prepend: runs before the app, so the header is there whatever the app does.
  server.prependListener('request', function trackRequest(_req: IncomingMessage, res: ServerResponse) {
    if (draining) res.setHeader('Connection', 'close');
    active.add(res);
    res.once('close', () => active.delete(res));
    res.once('finish', () => {
      if (draining) closeIdleSoon();
    });
  });

  return {
    inFlight: () => active.size,
    startDraining() {
      draining = true;
      for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close');
      server.closeIdleConnections();
    },
    close(timeoutMs) {
      draining = true;
      for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close');
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
