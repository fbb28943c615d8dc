import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What reading a service's `/version` gave: a JSON object, or why not. */
export type VersionProbe =
  | { readonly reachable: true; readonly body: Readonly<Record<string, unknown>> }
  | { readonly reachable: boolean; readonly error: string };

// A /version body is a few hundred bytes; anything far larger is not one.
const MAX_BODY = 1024 * 1024;

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'unknown host',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

function reason(error: unknown): string {
  const { name, code } = error as { name?: string; code?: string };
  if (name === 'AbortError' || name === 'TimeoutError' || code === 'ABORT_ERR') return 'timeout';
  if (code !== undefined && REASONS[code] !== undefined) return REASONS[code];
  if (code?.startsWith('ERR_TLS') === true || code?.includes('CERT') === true) return `TLS: ${code}`;
  return code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Reads `GET <base>/version` within `timeoutMs` for the whole exchange (connect, headers and
 * body), on a connection of its own that is closed after, so a service that hangs or refuses
 * costs at most the time limit and never holds up the others. A service that runs out of time,
 * before its headers or in the middle of its body, is `timeout` and not reachable. A response
 * that is not 200 is `HTTP <status>`; a body that is not a JSON object is `not JSON`.
 *
 * @example
 * const probe = await probeVersion('http://127.0.0.1:8000', 5000);
 * if ('body' in probe) probe.body.platform_version;
 */
export function probeVersion(base: string, timeoutMs: number): Promise<VersionProbe> {
  const url = new URL(`${base}/version`);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const signal = AbortSignal.timeout(timeoutMs);
  return new Promise((resolve) => {
    // A time limit that strikes mid-body surfaces as the socket's error: report it as the timeout it
    // is. A timeout is one outcome whatever the phase (connect, headers, body): not reachable.
    const failed = (reachable: boolean, error: unknown) =>
      resolve(signal.aborted ? { reachable: false, error: 'timeout' } : { reachable, error: reason(error) });
    let responded = false;
    const req = request(
      url,
      { method: 'GET', agent: false, headers: { accept: 'application/json' }, signal },
      (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) {
            resolve({ reachable: true, error: 'not JSON (body over 1 MiB)' });
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (error) => failed(true, error));
        res.on('close', () =>
          failed(true, Object.assign(new Error('the connection closed before the body ended'), { code: 'ECONNRESET' })),
        );
        res.on('end', () => {
          if (res.statusCode !== 200) {
            resolve({ reachable: true, error: `HTTP ${res.statusCode}` });
            return;
          }
          try {
            const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if (typeof body === 'object' && body !== null && !Array.isArray(body))
              resolve({ reachable: true, body: body as Record<string, unknown> });
            else resolve({ reachable: true, error: 'not JSON (not an object)' });
          } catch {
            resolve({ reachable: true, error: 'not JSON' });
          }
        });
      },
    );
    // Once a response has begun the service is reachable, even if the body then times out.
    req.on('error', (error) => failed(responded, error));
    req.end();
  });
}
