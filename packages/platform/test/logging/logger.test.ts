import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger, redactFields, runWithRequestContext, type RequestContext } from '../../src/index.js';
import { flatLineWriter, type FlatFields } from '../../src/logging/logger.js';
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
    expect(entry).to.include({ level: 'info', event: 'entity_created', service: 'test-service', version: '1.2.3', environment: 'local', entity_id: 'e1' });
    expect(new Date(String(entry!.timestamp)).toISOString()).to.equal(entry!.timestamp);
    expect(Object.keys(entry!).slice(0, 6)).to.deep.equal(['timestamp', 'level', 'event', 'service', 'version', 'environment']);
  });

  it('adds request_id, correlation_id, trace_id and user_id inside a request scope only', () => {
    const log = captureLogger();
    runWithRequestContext(context, () => log.logger.info('inside'));
    log.logger.info('outside');
    const [inside, outside] = log.entries();
    expect(inside).to.include({ request_id: context.requestId, correlation_id: 'trace-123', trace_id: context.trace.traceId, user_id: 'user_1' });
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
      nested: { deeper: { password: 'hunter2', apiKey: 'k-123456', client_secret: 's3cr3t', list: [{ token: 'tok-999' }] } },
      note: `retrying with Bearer ${jwt} failed`,
      raw: jwt,
    });
    const text = log.text();
    for (const secret of [jwt, 'abc123cookie', 'hunter2', 'k-123456', 's3cr3t', 'tok-999', 'Bearer ey']) expect(text).not.to.contain(secret);
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
    const stream = new Writable({ write: (chunk: Buffer, _e, cb) => { out += chunk.toString(); cb(); } });
    const logger = createLogger({ service: 's', version: '1', environment: 'local', format: 'console', colors: false, stream });
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
    { name: 'fields that name the context keys', fields: { request_id: 'r-1', correlation_id: 'c-1', method: 'GET', user_id: 'u-9' }, context },
    { name: 'user_id as a field when the context has none', fields: { path: '/p', user_id: 'u-2' }, context: { ...context, userId: undefined } },
    { name: 'secrets, tokens, quotes, odd numbers and undefined', fields: { api_key: 'k-123', path: '/x/eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln "q"\n', auth: 'Bearer abc.def', ratio: Number.NaN, big: 1e21, missing: undefined } },
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
