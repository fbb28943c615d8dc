import { expect } from 'chai';
import { buildUrl } from '../../src/client/url.js';

describe('buildUrl', () => {
  const base = new URL('http://billing:8080/api/v1/');

  it('joins the base path and the call path, and encodes the query', () => {
    expect(
      buildUrl(base, '/invoices', { status: 'open & paid', page: 2, draft: false, skip: undefined }).href,
    ).to.equal('http://billing:8080/api/v1/invoices?status=open+%26+paid&page=2&draft=false');
    expect(buildUrl(new URL('http://billing:8080'), '/invoices', undefined).href).to.equal(
      'http://billing:8080/invoices',
    );
  });

  it('throws on absolute, protocol-relative and relative paths', () => {
    for (const path of ['http://evil.test/', 'https://evil.test', '//evil.test/x', 'invoices', '']) {
      expect(() => buildUrl(base, path, undefined), path).to.throw(TypeError);
    }
  });

  it('keeps the origin whatever the path holds', () => {
    for (const path of ['/\\evil.test/x', '/@evil.test', '/../../../x', '/%2F%2Fevil.test']) {
      expect(buildUrl(base, path, undefined).origin, path).to.equal('http://billing:8080');
    }
  });
});
