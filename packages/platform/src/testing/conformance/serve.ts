import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An app served on an ephemeral port, and how to stop it. @internal */
export interface EphemeralServer {
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1 at a free port (real HTTP, as a deployed service is called). @internal */
export async function serveEphemeral(app: RequestListener): Promise<EphemeralServer> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close() {
      // fetch keeps connections alive; close them so the port is released at once.
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
