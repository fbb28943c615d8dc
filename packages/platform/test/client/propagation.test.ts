import { expect } from 'chai';
import { propagationHeaders } from '../../src/public/client.js';
import { runWithRequestContext, traceFromHeader, type RequestContext } from '../../src/public/context.js';

describe('propagationHeaders', () => {
  const context: RequestContext = {
    requestId: '0b7c6f1e-2a4d-4c1b-9f6e-3d2a1b0c9e8f',
    correlationId: 'corr-123',
    trace: traceFromHeader('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'),
    method: 'GET',
    path: '/orders',
    userId: undefined,
  };

  it('carries the request id, the correlation id and a new child span inside a request scope', () => {
    const [first, second] = runWithRequestContext(context, () => [propagationHeaders(), propagationHeaders()]);
    expect(Object.keys(first)).to.have.members(['x-request-id', 'x-correlation-id', 'traceparent']);
    expect(first).to.include({ 'x-request-id': context.requestId, 'x-correlation-id': 'corr-123' });
    expect(first.traceparent).to.match(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(second.traceparent).not.to.equal(first.traceparent);
  });

  it('is empty outside a request scope', () => {
    expect(propagationHeaders()).to.deep.equal({});
  });
});
