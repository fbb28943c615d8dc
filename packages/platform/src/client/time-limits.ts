import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';

/**
 * An attempt, or the connection it needed, that outlasted its time limit. Its code is the one
 * network timeouts have, so retries and the UPSTREAM_TIMEOUT answer treat both alike. @internal
 */
export class AttemptTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  readonly code = 'ETIMEDOUT';
}

/** The keep-alive agents of a client, one per scheme. @internal */
export interface ClientAgents {
  readonly http: http.Agent;
  readonly https: https.Agent;
}

/**
 * Destroys `socket` unless it is connected (for TLS: the handshake done) within `connectMs`.
 * A socket that is already connected is left alone.
 */
function limitConnect(socket: Duplex | null | undefined, connectMs: number): void {
  if (socket === null || socket === undefined) return;
  const secure = socket instanceof TLSSocket;
  if (!secure && !(socket as Socket).connecting) return;
  const timer = setTimeout(() => {
    socket.destroy(new AttemptTimeoutError(`connection not established within ${connectMs} ms`));
  }, connectMs);
  timer.unref();
  const settle = (): void => clearTimeout(timer);
  socket.once(secure ? 'secureConnect' : 'connect', settle);
  socket.once('close', settle);
}

/**
 * Keep-alive agents whose new connections must be up within `connectMs` (from the name lookup
 * to the TLS handshake); `undefined` leaves connecting unbounded (for calls whose limit the
 * transport enforces itself). The limit sits on the agent because a connection is made there,
 * and only there: a call that reuses a pooled connection pays nothing for it.
 * @internal
 */
export function createClientAgents(connectMs: number | undefined): ClientAgents {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  if (connectMs !== undefined)
    for (const agent of [agents.http, agents.https]) {
      const connect = agent.createConnection.bind(agent);
      agent.createConnection = function connectWithinLimit(options, callback) {
        const socket = connect(options, callback);
        limitConnect(socket, connectMs);
        return socket;
      };
    }
  return agents;
}
