import { expect } from 'chai';
import { ServiceError, createError, defineErrorCodes, isServiceError, platformErrors } from '../../src/index.js';
import { ERROR_CATEGORIES, errorCategory, toErrorBody } from '../../src/public/errors.js';

describe('errorCategory', () => {
  it('maps every status of the contract table', () => {
    expect(ERROR_CATEGORIES).to.deep.equal({
      400: 'BAD_REQUEST',
      401: 'UNAUTHORIZED',
      403: 'FORBIDDEN',
      404: 'NOT_FOUND',
      405: 'METHOD_NOT_ALLOWED',
      409: 'CONFLICT',
      412: 'PRECONDITION_FAILED',
      413: 'PAYLOAD_TOO_LARGE',
      415: 'UNSUPPORTED_MEDIA_TYPE',
      422: 'VALIDATION_ERROR',
      429: 'RATE_LIMITED',
      500: 'INTERNAL_ERROR',
      502: 'BAD_GATEWAY',
      503: 'SERVICE_UNAVAILABLE',
      504: 'GATEWAY_TIMEOUT',
    });
  });

  it('names other statuses after their reason phrase, never INTERNAL_ERROR by accident', () => {
    expect(errorCategory(418)).to.equal('IM_A_TEAPOT');
    expect(errorCategory(410)).to.equal('GONE');
    expect(errorCategory(501)).to.equal('NOT_IMPLEMENTED');
    expect(errorCategory(599)).to.equal('SERVER_ERROR');
  });
});

describe('ServiceError', () => {
  it('carries status, message, code, details and derives its category', () => {
    const error = new ServiceError(404, 'Entity not found', 'ENTITY_NOT_FOUND');
    expect(error).to.include({
      status: 404,
      message: 'Entity not found',
      code: 'ENTITY_NOT_FOUND',
      name: 'ServiceError',
    });
    expect(error.category).to.equal('NOT_FOUND');
    expect(String(error)).to.equal('ServiceError: Entity not found');
  });

  it('refuses a status that is not an HTTP error', () => {
    expect(() => new ServiceError(200, 'ok', 'OK')).to.throw(RangeError);
  });

  it('is recognised by its brand, also when built by another copy of the platform', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('@org/platform/ServiceError')]: true,
      status: 409,
      code: 'CONFLICT',
    });
    expect(isServiceError(foreign)).to.equal(true);
    expect(isServiceError(new Error('plain'))).to.equal(false);
    expect(isServiceError({ status: 404, code: 'X' })).to.equal(false);
  });

  it('renders the unified body, with details only when present', () => {
    expect(toErrorBody(new ServiceError(404, 'Entity not found', 'ENTITY_NOT_FOUND'), 'rid')).to.deep.equal({
      error: 'NOT_FOUND',
      message: 'Entity not found',
      code: 'ENTITY_NOT_FOUND',
      request_id: 'rid',
    });
    const details = [{ field: 'title', message: 'title is required', type: 'missing' }];
    expect(toErrorBody(createError('VALIDATION_FAILED', { details }), 'rid')).to.deep.equal({
      error: 'VALIDATION_ERROR',
      message: 'Request validation failed.',
      code: 'VALIDATION_FAILED',
      request_id: 'rid',
      details,
    });
  });
});

describe('error-code registries', () => {
  it('keeps every platform code UPPER_SNAKE_CASE with an error status, a message and a description', () => {
    for (const [code, def] of Object.entries(platformErrors.codes)) {
      expect(code, code).to.match(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(def.status, code).to.be.within(400, 599);
      expect(def.message, code).to.be.a('string').and.not.equal('');
      expect(def.description, code).to.be.a('string').and.not.equal('');
    }
  });

  it('builds errors from a code with its default status and message, and overrides', () => {
    const cause = new Error('db down');
    const error = createError('SERVICE_NOT_CONFIGURED', {
      message: 'Billing service not configured',
      cause,
      headers: { 'Retry-After': '5' },
    });
    expect(error).to.include({
      status: 503,
      code: 'SERVICE_NOT_CONFIGURED',
      message: 'Billing service not configured',
    });
    expect(error.cause).to.equal(cause);
    expect(error.headers).to.deep.equal({ 'Retry-After': '5' });
  });

  it('rejects codes that are not UPPER_SNAKE_CASE or statuses that are not errors', () => {
    expect(() => defineErrorCodes({ notUpper: { status: 400, message: 'm', description: 'd' } })).to.throw(
      /UPPER_SNAKE_CASE/,
    );
    expect(() => defineErrorCodes({ FINE: { status: 302, message: 'm', description: 'd' } })).to.throw(/400-599/);
  });
});
