import { expect } from 'chai';
import { newSpanId } from '../../src/context/trace.js';
import {
  childTraceparent,
  getRequestContext,
  traceFromHeader,
  tryGetRequestContext,
} from '../../src/public/context.js';

describe('traceFromHeader', () => {
  it('continues a valid W3C traceparent with a new span of our own', () => {
    const trace = traceFromHeader('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(trace.traceId).to.equal('0af7651916cd43dd8448eb211c80319c');
    expect(trace.parentSpanId).to.equal('b7ad6b7169203331');
    expect(trace.spanId)
      .to.match(/^[0-9a-f]{16}$/)
      .and.not.equal('b7ad6b7169203331');
  });

  it('starts a new trace for absent, malformed or all-zero headers', () => {
    for (const header of [
      undefined,
      'garbage',
      '00-00000000000000000000000000000000-b7ad6b7169203331-01',
      '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    ]) {
      const trace = traceFromHeader(header);
      expect(trace.parentSpanId, String(header)).to.equal(undefined);
      expect(trace.traceId).to.match(/^[0-9a-f]{32}$/);
    }
  });

  it('makes distinct span ids across refills of its random pool', () => {
    const ids = Array.from({ length: 3000 }, () => newSpanId());
    expect(new Set(ids).size).to.equal(ids.length);
    for (const id of ids) expect(id).to.match(/^[0-9a-f]{16}$/);
  });

  it('makes its own span id once, when first read', () => {
    const trace = traceFromHeader(undefined);
    expect(trace.spanId).to.equal(trace.spanId);
  });

  it('makes child traceparents in the same trace', () => {
    const trace = traceFromHeader(undefined);
    expect(childTraceparent(trace)).to.match(new RegExp(`^00-${trace.traceId}-[0-9a-f]{16}-01$`));
  });
});

describe('getRequestContext', () => {
  it('throws outside a request scope while tryGetRequestContext returns undefined', () => {
    expect(tryGetRequestContext()).to.equal(undefined);
    expect(() => getRequestContext()).to.throw(/outside a request scope/);
  });
});
