import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestKeyPair } from './tokens.js';

/** One request a {@link JwksServer} received. */
export interface JwksRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/** A local stand-in for the Clerk Backend API's `GET /v1/jwks`. */
export interface JwksServer {
  /** Give it to `CLERK_API_URL` (`http://127.0.0.1:<port>`). */
  readonly apiUrl: string;
  /** Every request received, oldest first. */
  readonly requests: readonly JwksRequest[];
  /** Replaces the served keys (key rotation). */
  setKeys(keys: readonly TestKeyPair[]): void;
  /** Answers the JWKS with this status and a Clerk-style error body from now on (`200` restores it). */
  setStatus(status: number): void;
  close(): Promise<void>;
}

/** Options of {@link startJwksServer}. */
export interface JwksServerOptions {
  /** The keys served. */
  readonly keys: readonly TestKeyPair[];
}

function listen(server: Server): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address() as AddressInfo));
  });
}

/**
 * Starts an HTTP server on 127.0.0.1 (a free port) serving `GET /v1/jwks` the way the Clerk
 * Backend API does, for tests of JWKS mode (`CLERK_SECRET_KEY` + `CLERK_API_URL`).
 *
 * @example
 * const keys = createTestKeyPair();
 * const jwks = await startJwksServer({ keys: [keys] });
 * const auth = createAuth({ config: { ENVIRONMENT: 'staging', CLERK_SECRET_KEY: 'sk_test_x', CLERK_API_URL: jwks.apiUrl }, logger });
 * after(() => jwks.close());
 */
export async function startJwksServer(options: JwksServerOptions): Promise<JwksServer> {
  let keys = options.keys;
  let status = 200;
  const requests: JwksRequest[] = [];
  const server = createServer(function jwksHandler(req, res) {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    res.setHeader('Content-Type', 'application/json');
    if (req.method !== 'GET' || path !== '/v1/jwks') {
      res.statusCode = 404;
      res.end(JSON.stringify({ errors: [{ code: 'resource_not_found', message: 'not found' }] }));
    } else if (status !== 200) {
      res.statusCode = status;
      res.end(JSON.stringify({ errors: [{ code: 'internal_clerk_error', message: 'unavailable' }] }));
    } else {
      res.end(JSON.stringify({ keys: keys.map((key) => key.jwk) }));
    }
  });
  const address = await listen(server);
  return {
    apiUrl: `http://127.0.0.1:${address.port}`,
    requests,
    setKeys(next) {
      keys = next;
    },
    setStatus(next) {
      status = next;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * A `http://127.0.0.1:<port>` URL where nothing listens (a port bound, then released), for
 * "the JWKS is unreachable" tests.
 *
 * @example
 * const config = { ENVIRONMENT: 'staging', CLERK_SECRET_KEY: 'sk_test_x', CLERK_API_URL: await closedLocalUrl() } as const;
 */
export async function closedLocalUrl(): Promise<string> {
  const server = createServer();
  const address = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${address.port}`;
}
