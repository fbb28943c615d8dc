import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { initObservability } from '../../src/index.js';
import { CLERK_TEST_ENV } from '../helpers.js';

// The fields of a Sentry event this test reads.
interface SentryEvent {
  readonly exception?: { readonly values?: readonly { readonly value?: string }[] };
  readonly tags?: Record<string, string>;
  readonly release?: string;
  readonly environment?: string;
  readonly request?: { readonly headers?: unknown };
}
import { startChild, stopChild, type ChildService } from '../lifecycle/child-service.js';
import { get } from '../lifecycle/http-get.js';

interface Receiver {
  readonly dsn: string;
  readonly envelopes: string[];
  events(): SentryEvent[];
  close(): Promise<void>;
}

/** A local Sentry: accepts envelopes on 127.0.0.1 the way sentry.io does. */
async function startReceiver(): Promise<Receiver> {
  const envelopes: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      envelopes.push((req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dsn: `http://publickey@127.0.0.1:${port}/1`,
    envelopes,
    events() {
      const events: SentryEvent[] = [];
      for (const envelope of envelopes) {
        const lines = envelope.split('\n');
        for (let i = 1; i + 1 < lines.length; i += 2) {
          if ((JSON.parse(lines[i]!) as { type?: string }).type === 'event')
            events.push(JSON.parse(lines[i + 1]!) as SentryEvent);
        }
      }
      return events;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function exceptionText(event: SentryEvent): string {
  return (event.exception?.values ?? []).map((v) => v.value).join('\n');
}

describe('initObservability', function () {
  this.timeout(20_000);
  let child: ChildService | undefined;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    stopChild(child);
    await receiver?.close();
  });

  it('is a no-op without a DSN', async () => {
    const observability = await initObservability({ dsn: undefined, service: 's', version: '1', environment: 'local' });
    expect(observability.enabled).to.equal(false);
    observability.captureException(new Error('x'));
    expect(await observability.flush()).to.equal(true);
  });

  it('reports 5xx with the request id and fatal errors, without headers, cookies or query strings', async () => {
    receiver = await startReceiver();
    child = await startChild('plain', {
      SENTRY_DSN: receiver.dsn,
      SERVICE_NAME: 'billing',
      SERVICE_VERSION: '2.3.4',
      ENVIRONMENT: 'staging',
      CORS_ORIGINS: '',
      ...CLERK_TEST_ENV,
    });
    const boom = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http
        .get(
          `${child!.url}/boom?token=query-secret-123`,
          { headers: { Authorization: 'Bearer header-secret-456', Cookie: '__session=cookie-secret-789' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res));
          },
        )
        .on('error', reject);
    });
    expect(boom.statusCode).to.equal(500);
    const requestId = String(boom.headers['x-request-id']);
    await get(`${child.url}/crash`);
    expect(await child.exited).to.equal(1);

    const events = receiver.events();
    const routeError = events.find((e) => exceptionText(e).includes('kaput in a route'));
    expect(routeError, 'the 5xx event').not.to.equal(undefined);
    expect(routeError!.tags).to.include({ request_id: requestId, error_code: 'INTERNAL_ERROR' });
    expect(routeError!.release).to.equal('billing@2.3.4');
    expect(routeError!.environment).to.equal('staging');
    expect(routeError!.request?.headers).to.equal(undefined);
    const fatal = events.find((e) => exceptionText(e).includes('kaput outside any request'));
    expect(fatal, 'the uncaught exception event').not.to.equal(undefined);
    expect(fatal!.tags).to.include({ fatal: 'uncaught_exception' });

    const everything = receiver.envelopes.join('\n');
    for (const secret of ['header-secret-456', 'cookie-secret-789', 'query-secret-123'])
      expect(everything).not.to.include(secret);
    expect(everything.toLowerCase()).not.to.include('"authorization"');
    expect(everything.toLowerCase()).not.to.include('"cookie"');
    // The logs never carry them either.
    expect(child.output()).not.to.match(/header-secret-456|cookie-secret-789/);
  });
});
