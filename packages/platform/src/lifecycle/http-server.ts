import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientErrorHandler } from '../http/client-error.js';
import type { Logger } from '../logging/logger.js';
import { trackServer, type ServerDrain } from './server-drain.js';
import type { LifecycleSettings } from './settings.js';

/** A running server. */
export interface StartedService {
  readonly server: Server;
  /** The bound port (useful with PORT=0). */
  readonly port: number;
  /** `http://host:port`, with 127.0.0.1 for a wildcard bind. */
  readonly url: string;
}

/** The service's HTTP server, before and after it listens. @internal */
export interface HttpServer {
  readonly server: Server;
  readonly drain: ServerDrain;
  /** Binds HOST:PORT; rejects with the listen error (a busy port). */
  listen(): Promise<StartedService>;
}

/**
 * Creates the HTTP server of `app` with the platform's timeouts: slow clients (slowloris, trickled
 * bodies) cut after REQUEST_TIMEOUT_MS, a keep-alive timeout above the load balancer's, a missing
 * Host answered by the pipeline, and requests tracked for a graceful drain.
 * @internal
 */
export function createHttpServer(app: RequestListener, settings: LifecycleSettings, logger: Logger): HttpServer {
  const { requestTimeoutMs } = settings;
  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(requestTimeoutMs, 20_000),
      // Checked often enough to matter (Node checks every 30 s by default).
      connectionsCheckingInterval: Math.max(250, Math.min(5000, Math.floor(requestTimeoutMs / 4))),
      // Node would answer a missing Host with a bare 400; the pipeline answers it in the unified shape.
      requireHostHeader: false,
    },
    app,
  );
  const drain = trackServer(server);
  server.on('clientError', clientErrorHandler(logger));
  // Above a load balancer's idle timeout (60 s on most), so it never reuses a socket we closed.
  server.keepAliveTimeout = settings.keepAliveTimeoutMs;
  return {
    server,
    drain,
    listen: () =>
      new Promise<StartedService>((resolve, reject) => {
        server.once('error', reject);
        server.listen(settings.port, settings.host, () => {
          server.off('error', reject);
          const { port } = server.address() as AddressInfo;
          const shownHost = settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host;
          resolve({ server, port, url: `http://${shownHost}:${port}` });
        });
      }),
  };
}

/**
 * The `startup_failed` log fields of a listen error: a busy or forbidden port is an operator's
 * mistake, not a bug, so it gets one line that says what to do; anything else keeps its error.
 * @internal
 */
export function listenFailure(error: unknown, settings: LifecycleSettings): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  if (code !== 'EADDRINUSE' && code !== 'EACCES') return { error };
  const problem = code === 'EADDRINUSE' ? 'is already in use by another process' : 'may not be opened by this user';
  return {
    reason: `port ${settings.port} on ${settings.host} ${problem}: stop the other process or set PORT to another port`,
    code,
  };
}
