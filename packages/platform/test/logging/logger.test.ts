import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/index.js';
import { redactFields } from '../../src/logging/redact.js';
import { runWithRequestContext, type RequestContext } from '../../src/public/context.js';
import fc from 'fast-check';
import { durationText } from '../../src/http/access-log.js';
import { flatLineWriter, preparedLinesOf, type FlatFields, type PreparedValues } from '../../src/logging/logger.js';
import { captureLogger } from '../helpers.js';

const context: RequestContext = {
  requestId: '3f1c2b9e-6a1d-4c8e-9f3a-2b7d5e8c1a40',
  correlationId: 'trace-123',
  trace: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), parentSpanId: undefined, flags: '01' },
  method: 'GET',
  path: '/x',
  userId: 'user_1',
};

describe('createLogger', () => {
  it('writes one JSON object per line with the base fields', () => {
    const log = captureLogger();
    log.logger.info('entity_created', { entity_id: 'e1' });
    const [entry] = log.entries();
    expect(entry).to.include({
      level: 'info',
      event: 'entity_created',
      service: 'test-service',
      version: '1.2.3',
      environment: 'local',
      entity_id: 'e1',
    });
    expect(new Date(String(entry!.timestamp)).toISOString()).to.equal(entry!.timestamp);
    expect(Object.keys(entry!).slice(0, 6)).to.deep.equal([
      'timestamp',
      'level',
      'event',
      'service',
      'version',
      'environment',
    ]);
  });

  it('adds request_id, correlation_id, trace_id and user_id inside a request scope only', () => {
    const log = captureLogger();
    runWithRequestContext(context, () => log.logger.info('inside'));
    log.logger.info('outside');
    const [inside, outside] = log.entries();
    expect(inside).to.include({
      request_id: context.requestId,
      correlation_id: 'trace-123',
      trace_id: context.trace.traceId,
      user_id: 'user_1',
    });
    expect(outside).not.to.have.any.keys('request_id', 'correlation_id', 'trace_id', 'user_id');
  });

  it('drops lines below the configured level', () => {
    const log = captureLogger({ level: 'warn' });
    log.logger.info('quiet');
    log.logger.debug('quieter');
    log.logger.warn('loud');
    expect(log.entries().map((e) => e.event)).to.deep.equal(['loud']);
    expect(log.logger.isLevelEnabled('info')).to.equal(false);
  });

  it('child loggers add their fields to every line', () => {
    const log = captureLogger();
    log.logger.child({ module: 'billing' }).info('charged', { amount: 3 });
    expect(log.entries()[0]).to.include({ module: 'billing', amount: 3, event: 'charged' });
  });

  it('redacts secret-looking keys at any depth and bearer tokens anywhere', () => {
    const log = captureLogger();
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2lnbmF0dXJlLXZhbHVl';
    log.logger.info('request_seen', {
      headers: { authorization: `Bearer ${jwt}`, cookie: '__session=abc123cookie', 'set-cookie': ['a=b'] },
      nested: {
        deeper: { password: 'hunter2', apiKey: 'k-123456', client_secret: 's3cr3t', list: [{ token: 'tok-999' }] },
      },
      note: `retrying with Bearer ${jwt} failed`,
      raw: jwt,
    });
    const text = log.text();
    for (const secret of [jwt, 'abc123cookie', 'hunter2', 'k-123456', 's3cr3t', 'tok-999', 'Bearer ey'])
      expect(text).not.to.contain(secret);
    const entry = log.entries()[0] as { headers: Record<string, unknown>; nested: { deeper: Record<string, unknown> } };
    expect(entry.headers.authorization).to.equal('[REDACTED]');
    expect(entry.nested.deeper.password).to.equal('[REDACTED]');
  });

  it('serialises errors with their stack and cause', () => {
    const log = captureLogger();
    log.logger.error('failed', { error: new Error('outer', { cause: new Error('inner') }) });
    const entry = log.entries()[0] as { error: { message: string; stack: string; cause: { message: string } } };
    expect(entry.error.message).to.equal('outer');
    expect(entry.error.stack).to.contain('logger.test.ts');
    expect(entry.error.cause.message).to.equal('inner');
  });

  it('renders readable console lines', () => {
    let out = '';
    const stream = new Writable({
      write: (chunk: Buffer, _e, cb) => {
        out += chunk.toString();
        cb();
      },
    });
    const logger = createLogger({
      service: 's',
      version: '1',
      environment: 'local',
      format: 'console',
      colors: false,
      stream,
    });
    logger.warn('disk_low', { free_mb: 12, path: '/var/lib x' });
    expect(out).to.match(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}disk_low free_mb=12 path="\/var\/lib x"\n$/);
    expect(() => JSON.parse(out) as unknown).to.throw();
  });

  it('flush resolves once written lines are handed over', async () => {
    const log = captureLogger();
    log.logger.info('before_flush');
    await log.logger.flush();
    expect(log.lines).to.have.length(1);
  });
});

describe('redactFields', () => {
  it('handles cycles and deep structures without throwing', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactFields({ a })).to.deep.equal({ a: { name: 'a', self: '[Circular]' } });
  });
});

describe('createLogger level filtering', () => {
  it('does not even render a line below the level (no context lookup, no redaction of its fields)', () => {
    const log = captureLogger({ level: 'info' });
    let read = 0;
    const fields = {
      get expensive() {
        read += 1;
        return 'x';
      },
    };
    log.logger.debug('skipped', fields);
    log.logger.info('kept', fields);
    expect(log.entries().map((e) => e.event)).to.deep.equal(['kept']);
    expect(read, 'the filtered line never read its fields').to.equal(1);
  });
});

describe('the flat-line writer (access log and HTTP client lines)', () => {
  const cases: { name: string; fields: FlatFields; context?: RequestContext }[] = [
    { name: 'outside a request', fields: { method: 'GET', path: '/a', status_code: 200, duration_ms: 1.25 } },
    { name: 'inside a request', fields: { method: 'GET', path: '/a', status_code: 200 }, context },
    {
      name: 'fields that name the context keys',
      fields: { request_id: 'r-1', correlation_id: 'c-1', method: 'GET', user_id: 'u-9' },
      context,
    },
    {
      name: 'user_id as a field when the context has none',
      fields: { path: '/p', user_id: 'u-2' },
      context: { ...context, userId: undefined },
    },
    {
      name: 'secrets, tokens, quotes, odd numbers and undefined',
      fields: {
        api_key: 'k-123',
        path: '/x/eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln "q"\n',
        auth: 'Bearer abc.def',
        ratio: Number.NaN,
        big: 1e21,
        missing: undefined,
      },
    },
  ];
  for (const { name, fields, context: scope } of cases) {
    it(`writes the line the logger writes: ${name}`, () => {
      const fast = captureLogger();
      const slow = captureLogger();
      const write = flatLineWriter(fast.logger)!;
      const run = (fn: () => void): void => (scope === undefined ? fn() : runWithRequestContext(scope, fn));
      run(() => write('info', 'some_event', fields));
      run(() => slow.logger.info('some_event', fields));
      const [a] = fast.entries();
      const [b] = slow.entries();
      expect({ ...a, timestamp: 0 }).to.deep.equal({ ...b, timestamp: 0 });
      expect(Object.keys(a!)).to.deep.equal(Object.keys(b!));
    });
  }

  it('exists only on root loggers in JSON format', () => {
    expect(flatLineWriter(captureLogger().logger)).to.be.a('function');
    expect(flatLineWriter(captureLogger().logger.child({ component: 'x' }))).to.equal(undefined);
    expect(flatLineWriter(captureLogger({ format: 'console' }).logger)).to.equal(undefined);
  });
});

// The line of a root JSON logger, its timestamp blanked: what is compared, byte for byte.
const withoutTime = (line: string): string => line.replace(/^\{"timestamp":"[^"]*"/, '{"timestamp":""');

describe('the prepared line writer (access log and HTTP client lines)', () => {
  const keys = ['request_id', 'correlation_id', 'trace_id', 'method', 'path', 'status_code', 'duration_ms', 'user_id'];

  // The same line through winston (the logger's own `log`), for the same fields.
  function slowLine(level: 'info' | 'warn', values: PreparedValues, scope: RequestContext | undefined): string {
    const slow = captureLogger();
    const fields: Record<string, unknown> = {};
    keys.forEach((key, i) => {
      const value = values[i];
      fields[key] = typeof value === 'object' ? value.value : value;
    });
    const run = (fn: () => void): void => (scope === undefined ? fn() : runWithRequestContext(scope, fn));
    run(() => slow.logger.log(level, 'request_completed', fields));
    return slow.lines[0]!;
  }

  function fastLine(
    level: 'info' | 'warn',
    values: PreparedValues,
    scope: RequestContext | undefined,
    plain: string[] = [],
  ): string {
    const fast = captureLogger();
    const write = preparedLinesOf(fast.logger, 'request_completed', keys, { plain });
    const run = (fn: () => void): void => (scope === undefined ? fn() : runWithRequestContext(scope, fn));
    run(() => write(level, values));
    return fast.lines[0]!;
  }

  const cases: { name: string; values: PreparedValues; scope?: RequestContext; plain?: string[] }[] = [
    { name: 'outside a request', values: ['r-1', 'c-1', 't-1', 'GET', '/a', 200, durationText(1.2345), undefined] },
    {
      name: 'inside a request, the values its own',
      values: [
        context.requestId,
        context.correlationId,
        context.trace.traceId,
        'GET',
        '/x',
        200,
        durationText(0.07),
        context.userId,
      ],
      scope: context,
      plain: ['request_id', 'trace_id', 'method'],
    },
    {
      name: 'inside a request with no user',
      values: [context.requestId, 'corr', context.trace.traceId, 'POST', '/p', 201, durationText(12), undefined],
      scope: { ...context, userId: undefined },
    },
    {
      name: 'inside another request (a user of its own, none here)',
      values: ['r-2', undefined, 't-2', 'GET', '/y', 404, durationText(3.5), undefined],
      scope: context,
    },
    {
      name: 'text that must be escaped or redacted',
      values: [
        'r-3',
        'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln',
        't',
        'GET',
        '/x/"quoted"\\ünï\u0001 Bearer abc',
        500,
        Number.NaN,
        'user "x"',
      ],
    },
  ];
  for (const { name, values, scope, plain } of cases) {
    it(`writes the line the logger writes, byte for byte: ${name}`, () => {
      expect(withoutTime(fastLine('info', values, scope, plain))).to.equal(
        withoutTime(slowLine('info', values, scope)),
      );
      expect(withoutTime(fastLine('warn', values, scope, plain))).to.equal(
        withoutTime(slowLine('warn', values, scope)),
      );
    });
  }

  it('writes the line the logger writes for any text, number, id and context (property)', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.constantFrom('eyJabcd.eyJefgh.sig', 'Bearer x.y', 'Basic dXNlcg==', '/api/v1/items', ''),
      fc.constant(undefined),
    );
    const number = fc.oneof(fc.double(), fc.integer(), fc.constant(undefined));
    const scope = fc.option(
      fc.record({
        requestId: fc.uuid(),
        correlationId: fc.string(),
        userId: fc.option(fc.string(), { nil: undefined }),
      }),
      { nil: undefined },
    );
    fc.assert(
      fc.property(
        fc.tuple(text, text, text, text, text, number, fc.double({ min: 0, max: 1e7, noNaN: true }), text),
        scope,
        (values, ctx) => {
          const [a, b, c, d, e, f, ms, g] = values;
          const row: PreparedValues = [a, b, c, d, e, f, durationText(ms), g];
          const full = ctx === undefined ? undefined : { ...context, ...ctx };
          expect(withoutTime(fastLine('info', row, full))).to.equal(withoutTime(slowLine('info', row, full)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('formats a duration exactly as JSON writes it rounded to hundredths', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), (ms) => {
        const { value, json } = durationText(ms);
        expect(value).to.equal(Math.round(ms * 100) / 100);
        expect(json).to.equal(JSON.stringify(value));
      }),
      { numRuns: 2000 },
    );
    for (const ms of [0, 0.004, 0.005, 0.07, 0.1, 1, 12.5, 99.999, 100.01])
      expect(durationText(ms).json).to.equal(String(Math.round(ms * 100) / 100));
  });

  it('is rendered by the logger itself only for root JSON loggers, and writes the same line otherwise', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString('utf8').trim());
        callback();
      },
    });
    const child = createLogger({ service: 's', version: '1', environment: 'local', format: 'json', stream }).child({
      component: 'edge',
    });
    preparedLinesOf(
      child,
      'request_completed',
      keys,
    )('info', ['r', undefined, 't', 'GET', '/a', 200, durationText(1.5), undefined]);
    expect(JSON.parse(lines[0]!)).to.include({ component: 'edge', request_id: 'r', path: '/a', duration_ms: 1.5 });
    expect(lines[0]).not.to.contain('correlation_id');
  });
});
