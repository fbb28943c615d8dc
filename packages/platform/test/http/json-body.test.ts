import { expect } from 'chai';
import { isUtf8 } from 'node:buffer';
import { once } from 'node:events';
import { request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { jsonBody } from '../../src/http/json-body.js';

// jsonBody reads plain JSON itself and hands every other body to body-parser. These tests send
// the same bytes to it and to body-parser run directly, configured as the platform configures
// it, and require the same outcome: the same parsed value, or the error the platform gives for
// body-parser's error.

const LIMIT = 1024;

interface Outcome {
  readonly status: number;
  readonly body: unknown;
}

function echo(app: Express, onError: ErrorRequestHandler): Express {
  app.post('/echo', (req, res) => {
    res.status(200).json({ parsed: req.body === undefined ? '(undefined)' : (req.body as unknown) });
  });
  app.use(onError);
  return app;
}

// body-parser's error types, as the platform names them.
const PLATFORM_CODE: Readonly<Record<string, string>> = {
  'entity.parse.failed': 'INVALID_JSON',
  'entity.verify.failed': 'INVALID_JSON',
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
};

function bodyParserApp(): Express {
  const app = express();
  app.use(
    express.json({
      limit: LIMIT,
      strict: false,
      type: ['application/json', 'application/*+json'],
      verify: (_req, _res, buffer, encoding) => {
        if ((encoding === 'utf-8' || encoding === 'utf8') && !isUtf8(buffer)) throw new Error('invalid UTF-8');
      },
    }),
  );
  return echo(app, (error: { type?: string }, _req, res, _next) => {
    res.status(422).json({ code: PLATFORM_CODE[error.type ?? ''] ?? `unmapped ${String(error.type)}` });
  });
}

function platformApp(errors: unknown[], app: Express = express()): Express {
  app.use(jsonBody({ limit: LIMIT, requireJson: false }));
  return echo(app, (error: { code?: string }, _req, res, _next) => {
    errors.push(error);
    res.status(422).json({ code: error.code });
  });
}

async function serve(app: Express): Promise<{ server: Server; port: number }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

/** POSTs `chunks` to /echo with exactly these headers, a pause between chunks. */
function post(port: number, headers: Record<string, string>, chunks: readonly Buffer[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path: '/echo', headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      },
    );
    req.on('error', reject);
    void (async () => {
      for (const [i, chunk] of chunks.entries()) {
        if (i > 0) await sleep(15);
        req.write(chunk);
      }
      req.end();
    })();
  });
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

const BODIES: ReadonlyArray<readonly [string, Buffer]> = [
  ['an object', utf8('{"title":"a","n":1.5,"nested":[true,null,{"x":"y"}]}')],
  ['an array', utf8('[1,2,3]')],
  ['a string', utf8('"x"')],
  ['null', utf8('null')],
  ['a number', utf8('-0.5e3')],
  ['whitespace around', utf8(' \n\t{"a":1} \r\n')],
  ['multi-byte text', utf8('{"t":"héllo ✓ 😀 ﻿"}')],
  ['a lone surrogate escape', utf8('{"t":"\\ud800"}')],
  ['__proto__ as a key', utf8('{"__proto__":{"polluted":true}}')],
  ['a byte order mark first', utf8('\uFEFF{"a":1}')],
  ['only a byte order mark', utf8('\uFEFF')],
  ['two byte order marks', utf8('\uFEFF\uFEFF{"a":1}')],
  ['only whitespace', utf8('   ')],
  ['cut short', utf8('{"a":')],
  ['not JSON', utf8('{a:1}')],
  ['trailing garbage', utf8('{"a":1} x')],
  ['invalid UTF-8 in a string', Buffer.concat([utf8('{"t":"a'), Buffer.from([0xff, 0xfe]), utf8('"}')])],
  ['an overlong encoding', Buffer.concat([utf8('{"t":"'), Buffer.from([0xc0, 0xaf]), utf8('"}')])],
  ['a UTF-16 surrogate encoded in UTF-8', Buffer.concat([utf8('{"t":"'), Buffer.from([0xed, 0xa0, 0x80]), utf8('"}')])],
  ['Latin-1 bytes', Buffer.from('{"t":"café"}', 'latin1')],
  ['at the limit', utf8(`{"t":"${'x'.repeat(LIMIT - 8)}"}`)],
];

const CONTENT_TYPES = [
  // Read by jsonBody itself.
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=utf-8',
  'application/json; charset=UTF-8',
  'application/json;charset=UTF-8',
  // Handed to body-parser.
  'Application/JSON',
  'application/json; charset="utf-8"',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; foo=bar',
  'application/merge-patch+json',
  'text/plain',
];

describe('jsonBody against body-parser run directly', () => {
  let reference: { server: Server; port: number };
  let subject: { server: Server; port: number };
  const errors: unknown[] = [];

  before(async () => {
    reference = await serve(bodyParserApp());
    subject = await serve(platformApp(errors));
  });
  after(() => {
    reference.server.close();
    subject.server.close();
  });

  for (const type of CONTENT_TYPES)
    it(`gives body-parser's outcome for every body sent as ${type}`, async () => {
      for (const [name, bytes] of BODIES) {
        const headers = { 'content-type': type, 'content-length': String(bytes.length) };
        const expected = await post(reference.port, headers, [bytes]);
        expect(await post(subject.port, headers, [bytes]), `${name} as ${type}`).to.deep.equal(expected);
      }
    });

  it('gives the same outcome for a body that arrives in pieces, split inside a multi-byte character', async () => {
    const bytes = utf8('{"t":"😀 and more","list":[1,2,3]}');
    const pieces = [bytes.subarray(0, 7), bytes.subarray(7, 9), bytes.subarray(9)];
    const headers = { 'content-type': 'application/json', 'content-length': String(bytes.length) };
    const expected = await post(reference.port, headers, pieces);
    expect(expected).to.deep.equal({ status: 200, body: { parsed: { t: '😀 and more', list: [1, 2, 3] } } });
    expect(await post(subject.port, headers, pieces)).to.deep.equal(expected);
  });

  it('reads a body the parser already holds, behind a middleware that waits (the request complete, its data unread)', async () => {
    const app = express();
    app.use((_req, _res, next) => {
      setTimeout(next, 30);
    });
    const late = await serve(platformApp([], app));
    try {
      const body = utf8('{"title":"late","n":[1,2]}');
      expect(
        await post(late.port, { 'content-type': 'application/json', 'content-length': String(body.length) }, [body]),
      ).to.deep.equal({ status: 200, body: { parsed: { title: 'late', n: [1, 2] } } });
    } finally {
      late.server.close();
    }
  });

  it('a client that goes away mid-body: a 400 BAD_REQUEST for the pipeline, nothing parsed, the server unharmed', async () => {
    errors.length = 0;
    const socket = connect(subject.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      'POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"title":',
    );
    await sleep(50);
    socket.destroy();
    for (let waited = 0; errors.length === 0 && waited < 2000; waited += 20) await sleep(20);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include({ code: 'BAD_REQUEST', status: 400 });
    // The next request on a new connection is served as usual.
    const body = utf8('{"a":1}');
    expect(
      await post(subject.port, { 'content-type': 'application/json', 'content-length': String(body.length) }, [body]),
    ).to.deep.equal({ status: 200, body: { parsed: { a: 1 } } });
  });
});
