// A Stoplight Prism validating proxy in front of the running service: every route's success and
// error cases go through it, and Prism must find nothing wrong with any answer (request-side
// findings are expected: those requests are wrong on purpose).
import { createAndCallPrismInstanceWithSpec, type IHttpConfig } from '@stoplight/prism-http';
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { binOf, startDocumentedService, tokenOf, TOOL_ENV, type DocumentedService } from './fixtures.js';

interface Violation {
  readonly location: readonly string[];
  readonly severity: string;
  readonly message: string;
}

interface Replayed {
  readonly name: string;
  readonly status: number;
  readonly body: unknown;
  readonly violations: readonly Violation[];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startPrism(
  documentFile: string,
  upstream: string,
): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      binOf('@stoplight/prism-cli', 'prism'),
      'proxy',
      documentFile,
      upstream,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--errors',
      'false',
    ],
    { env: TOOL_ENV, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('Prism is listening')) resolve();
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => reject(new Error(`prism exited with ${String(code)}:\n${output}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, output: () => output };
}

const OTHER_ID = '00000000-0000-4000-8000-000000000000';

describe('the OpenAPI document under a Prism validating proxy', function () {
  this.timeout(60_000);
  let service: DocumentedService;
  let prism: Awaited<ReturnType<typeof startPrism>>;
  const replayed: Replayed[] = [];

  before(async () => {
    service = await startDocumentedService();
    prism = await startPrism(service.documentFile, service.server.url);
  });
  after(async () => {
    prism.child.kill('SIGTERM');
    await service.close();
  });

  async function replay(
    name: string,
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<Replayed> {
    const res = await fetch(`${prism.url}${path}`, {
      method,
      headers: options.headers ?? {},
      ...(options.body === undefined ? {} : { body: options.body }),
    });
    const text = await res.text();
    const header = res.headers.get('sl-violations');
    const result = {
      name,
      status: res.status,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
      violations: header === null ? [] : (JSON.parse(header) as Violation[]),
    };
    replayed.push(result);
    return result;
  }

  it('replays every route, success and error, with no response-side violation', async () => {
    const alice = { Authorization: `Bearer ${tokenOf('user_alice')}` };
    const cookie = { Cookie: `__session=${tokenOf('user_alice')}` };
    const json = { ...alice, 'Content-Type': 'application/json' };
    const created = await replay('create', 'POST', '/api/v1/entities', {
      headers: json,
      body: JSON.stringify({ title: 'Quarterly report', description: 'Figures for Q3' }),
    });
    expect(created.status).to.equal(201);
    const id = (created.body as { id: string }).id;
    // Retried writes and preconditions: each answer as the document declares it.
    const keyed = { ...json, 'Idempotency-Key': `prism-${Date.now()}` };
    expect(
      (await replay('keyed create', 'POST', '/api/v1/entities', { headers: keyed, body: '{"title":"Keyed"}' })).status,
    ).to.equal(201);
    expect(
      (
        await replay('keyed create, replayed', 'POST', '/api/v1/entities', {
          headers: keyed,
          body: '{"title":"Keyed"}',
        })
      ).status,
    ).to.equal(201);
    expect(
      (
        await replay('keyed create, key reused', 'POST', '/api/v1/entities', {
          headers: keyed,
          body: '{"title":"Other"}',
        })
      ).status,
    ).to.equal(422);
    expect(
      (
        await replay('keyed create, key malformed', 'POST', '/api/v1/entities', {
          headers: { ...json, 'Idempotency-Key': 'k'.repeat(256) },
          body: '{"title":"x"}',
        })
      ).status,
    ).to.equal(400);
    const etag = (await fetch(`${service.server.url}/api/v1/entities/${id}`, { headers: alice })).headers.get('etag')!;
    expect(
      (
        await replay('get, not modified', 'GET', `/api/v1/entities/${id}`, {
          headers: { ...alice, 'If-None-Match': etag },
        })
      ).status,
    ).to.equal(304);
    expect(
      (
        await replay('patch, stale If-Match', 'PATCH', `/api/v1/entities/${id}`, {
          headers: { ...json, 'If-Match': '"999"' },
          body: '{"title":"late"}',
        })
      ).status,
    ).to.equal(412);
    expect(
      (
        await replay('patch, current If-Match', 'PATCH', `/api/v1/entities/${id}`, {
          headers: { ...json, 'If-Match': etag },
          body: '{"title":"Quarterly report"}',
        })
      ).status,
    ).to.equal(200);
    expect(
      (
        await replay('delete, stale If-Match', 'DELETE', `/api/v1/entities/${id}`, {
          headers: { ...alice, 'If-Match': etag },
        })
      ).status,
    ).to.equal(412);
    await replay('create, second', 'POST', '/api/v1/entities', {
      headers: json,
      body: JSON.stringify({ title: 'Second' }),
    });
    const expected: [string, number, Promise<Replayed>][] = [
      ['list', 200, replay('list', 'GET', '/api/v1/entities?limit=1', { headers: alice })],
      [
        'list with a trailing slash, cookie auth',
        200,
        replay('list /', 'GET', '/api/v1/entities/?limit=1', { headers: cookie }),
      ],
      ['list past the end', 200, replay('list past end', 'GET', '/api/v1/entities?offset=50', { headers: alice })],
      ['get', 200, replay('get', 'GET', `/api/v1/entities/${id}`, { headers: alice })],
      ['get, cookie auth', 200, replay('get cookie', 'GET', `/api/v1/entities/${id}`, { headers: cookie })],
      [
        'patch',
        200,
        replay('patch', 'PATCH', `/api/v1/entities/${id}`, {
          headers: json,
          body: JSON.stringify({ description: null }),
        }),
      ],
      ['patch {}', 200, replay('patch {}', 'PATCH', `/api/v1/entities/${id}`, { headers: json, body: '{}' })],
      ['no token', 401, replay('401 missing', 'GET', '/api/v1/entities', {})],
      [
        'bad token',
        401,
        replay('401 invalid', 'GET', `/api/v1/entities/${id}`, { headers: { Authorization: 'Bearer not-a-token' } }),
      ],
      [
        'bad cookie',
        401,
        replay('401 cookie', 'DELETE', `/api/v1/entities/${id}`, { headers: { Cookie: '__session=not-a-token' } }),
      ],
      ['unknown id', 404, replay('404', 'GET', `/api/v1/entities/${OTHER_ID}`, { headers: alice })],
      [
        'another owner',
        404,
        replay('404 other owner', 'PATCH', `/api/v1/entities/${id}`, {
          headers: { ...json, Authorization: `Bearer ${tokenOf('user_bob')}` },
          body: '{"title":"mine now"}',
        }),
      ],
      ['invalid id', 422, replay('422 id', 'GET', '/api/v1/entities/not-a-uuid', { headers: alice })],
      [
        'invalid body',
        422,
        replay('422 body', 'POST', '/api/v1/entities', {
          headers: json,
          body: JSON.stringify({ title: '', owner_id: 'user_bob' }),
        }),
      ],
      [
        'title null',
        422,
        replay('422 null', 'PATCH', `/api/v1/entities/${id}`, { headers: json, body: '{"title":null}' }),
      ],
      ['invalid limit', 422, replay('422 limit', 'GET', '/api/v1/entities?limit=0', { headers: alice })],
      [
        'cursor and offset',
        422,
        replay('422 cursor+offset', 'GET', '/api/v1/entities?cursor=abc&offset=1', { headers: alice }),
      ],
      ['malformed cursor', 422, replay('422 cursor', 'GET', '/api/v1/entities?cursor=abc', { headers: alice })],
      [
        'not JSON',
        415,
        replay('415', 'POST', '/api/v1/entities', {
          headers: { ...alice, 'Content-Type': 'text/plain' },
          body: 'title=x',
        }),
      ],
      [
        'not JSON on patch',
        415,
        replay('415 patch', 'PATCH', `/api/v1/entities/${id}`, {
          headers: { ...alice, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'title=x',
        }),
      ],
      [
        'too large',
        413,
        replay('413', 'POST', '/api/v1/entities', {
          headers: json,
          body: JSON.stringify({ title: 'x', description: 'y'.repeat(200_000) }),
        }),
      ],
      ['another method', 405, replay('405', 'PUT', `/api/v1/entities/${id}`, { headers: json, body: '{"title":"x"}' })],
      ['unknown route', 404, replay('404 route', 'GET', '/api/v1/nothing', { headers: alice })],
      [
        'too large on patch',
        413,
        replay('413 patch', 'PATCH', `/api/v1/entities/${id}`, {
          headers: json,
          body: JSON.stringify({ description: 'y'.repeat(200_000) }),
        }),
      ],
    ];
    for (const [name, status, result] of expected) expect((await result).status, name).to.equal(status);
    const page = (await replay('list, first page', 'GET', '/api/v1/entities?limit=1', { headers: alice })).body as {
      next_cursor: string;
    };
    expect(
      (
        await replay('list, next page by cursor', 'GET', `/api/v1/entities?limit=1&cursor=${page.next_cursor}`, {
          headers: alice,
        })
      ).status,
    ).to.equal(200);
    expect((await replay('delete', 'DELETE', `/api/v1/entities/${id}`, { headers: alice })).status).to.equal(204);
    expect((await replay('delete again', 'DELETE', `/api/v1/entities/${id}`, { headers: alice })).status).to.equal(404);

    const responseSide = replayed.flatMap((r) =>
      r.violations
        .filter((v) => v.location[0] === 'response')
        .map((v) => `${r.name} (${r.status}): ${v.location.join('.')} ${v.message}`),
    );
    expect(responseSide, prism.output()).to.deep.equal([]);
    // Prism did validate: the wrong requests were flagged on the request side.
    expect(replayed.find((r) => r.name === '422 id')!.violations.map((v) => v.location.join('.'))).to.include(
      'request.path.id',
    );
  });

  // The engine behind Prism's proxy server (prism-http in proxy mode), called directly.
  async function throughEngine(
    document: object,
    method: 'post' | 'patch',
    path: string,
    headers: Record<string, string>,
    body: string,
  ) {
    const config = {
      isProxy: true,
      upstream: new URL(service.server.url),
      upstreamProxy: undefined,
      checkSecurity: true,
      validateRequest: true,
      validateResponse: true,
      errors: false,
      mock: { dynamic: false },
    } satisfies IHttpConfig;
    // Prism types its logger as pino's, whichever pino the type checker finds first: only these methods are called.
    const silent = {
      info() {},
      warn() {},
      error() {},
      debug() {},
      trace() {},
      fatal() {},
      success() {},
      child: () => silent,
    } as unknown as Parameters<typeof createAndCallPrismInstanceWithSpec>[3];
    const outcome = await createAndCallPrismInstanceWithSpec(
      document,
      config,
      { method, url: { path }, headers: { authorization: `Bearer ${tokenOf('user_alice')}`, ...headers }, body },
      silent,
    );
    if (outcome.result !== 'ok') throw outcome.error;
    return outcome.response;
  }

  it('validates the 400 of a malformed JSON body with the same Prism engine (its proxy server answers those itself)', async () => {
    // Prism's HTTP server parses JSON bodies before proxying and answers a malformed one with its
    // own 400, so the service's 400 would never reach the validator that way: the engine behind
    // the proxy forwards the raw text and validates the service's answer.
    for (const [method, path] of [
      ['post', '/api/v1/entities'],
      ['patch', `/api/v1/entities/${OTHER_ID}`],
    ] as const) {
      const response = await throughEngine(
        service.document,
        method,
        path,
        { 'content-type': 'application/json' },
        '{"title": "unfinished',
      );
      expect(response.output.statusCode, method).to.equal(400);
      expect(response.output.body, method).to.deep.include({ code: 'INVALID_JSON', error: 'BAD_REQUEST' });
      expect(response.validations.output, method).to.deep.equal([]);
    }
  });

  it('does flag an answer the document leaves out, so a clean run means something', async () => {
    const document = structuredClone(service.document) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    delete document.paths['/api/v1/entities']!.post!.responses['415'];
    const response = await throughEngine(
      document,
      'post',
      '/api/v1/entities',
      { 'content-type': 'text/plain' },
      'title=x',
    );
    expect(response.output.statusCode).to.equal(415);
    expect(response.validations.output.map((v) => v.message).join()).to.match(
      /Unable to match the returned status code/,
    );
  });
});
