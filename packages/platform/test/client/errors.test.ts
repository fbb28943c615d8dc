import { expect } from 'chai';
import { isServiceError, isUpstreamError, platformErrors, UpstreamError } from '../../src/index.js';
import { toErrorBody } from '../../src/public/errors.js';

describe('UpstreamError', () => {
  it('is a ServiceError with the registry status and message, a stable name and the cause', () => {
    const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const error = new UpstreamError('UPSTREAM_ERROR', {
      service: 'billing-service',
      origin: 'http://billing:8080',
      method: 'GET',
      path: '/invoices',
      attempts: 4,
      cause,
    });
    expect(error).to.include({
      name: 'UpstreamError',
      code: 'UPSTREAM_ERROR',
      status: 502,
      message: platformErrors.codes.UPSTREAM_ERROR.message,
      attempts: 4,
      service: 'billing-service',
    });
    expect(error.cause).to.equal(cause);
    expect(isServiceError(error)).to.equal(true);
    expect(toErrorBody(error, 'req-1')).to.deep.equal({
      error: 'BAD_GATEWAY',
      message: 'An upstream service failed.',
      code: 'UPSTREAM_ERROR',
      request_id: 'req-1',
    });
  });

  it('maps each code to its status', () => {
    expect(new UpstreamError('UPSTREAM_TIMEOUT').status).to.equal(504);
    expect(new UpstreamError('CIRCUIT_OPEN').status).to.equal(503);
    expect(new UpstreamError('SERVICE_NOT_CONFIGURED', { message: 'x is not configured' })).to.include({
      status: 503,
      message: 'x is not configured',
      attempts: 0,
    });
  });
});

describe('isUpstreamError', () => {
  it('reads the brand, not the prototype', () => {
    const brand = Symbol.for('@org/platform/UpstreamError');
    expect(isUpstreamError({ [brand]: true })).to.equal(true);
    expect(isUpstreamError(new Error('x'))).to.equal(false);
    expect(isUpstreamError(null)).to.equal(false);
  });
});
