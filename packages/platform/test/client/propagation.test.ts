import { expect } from 'chai';
import { propagationHeaders } from '../../src/public/client.js';
import { runWithRequestContext } from '../../src/public/context.js';
import { callerContext as context, CHILD_TRACEPARENT } from './caller-context.js';

describe('propagationHeaders', () => {
  it('carries the request id, the correlation id and a new child span inside a request scope', () => {
    const [first, second] = runWithRequestContext(context, () => [propagationHeaders(), propagationHeaders()]);
    expect(Object.keys(first)).to.have.members(['x-request-id', 'x-correlation-id', 'traceparent']);
    expect(first).to.include({ 'x-request-id': context.requestId, 'x-correlation-id': 'corr-123' });
    expect(first.traceparent).to.match(CHILD_TRACEPARENT);
    expect(second.traceparent).not.to.equal(first.traceparent);
  });

  it('is empty outside a request scope', () => {
    expect(propagationHeaders()).to.deep.equal({});
  });
});
