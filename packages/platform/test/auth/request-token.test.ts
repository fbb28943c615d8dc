import { expect } from 'chai';
import type { Request } from 'express';
import { tokenFromRequest } from '../../src/auth/request-token.js';

function req(headers: Record<string, string>): Request {
  return { headers } as unknown as Request;
}

describe('tokenFromRequest', () => {
  it('reads a bearer token, scheme case-insensitive, trimmed', () => {
    expect(tokenFromRequest(req({ authorization: 'Bearer abc.def.ghi' }))).to.deep.equal({
      token: 'abc.def.ghi',
      carrier: 'header',
    });
    expect(tokenFromRequest(req({ authorization: '  bearer   abc.def.ghi  ' }))).to.deep.equal({
      token: 'abc.def.ghi',
      carrier: 'header',
    });
  });

  it('reads the __session cookie among others, URL-decoded, quotes removed', () => {
    expect(tokenFromRequest(req({ cookie: 'a=1; __session=abc.def.ghi; b=2' }))).to.deep.equal({
      token: 'abc.def.ghi',
      carrier: 'cookie',
    });
    expect(tokenFromRequest(req({ cookie: '__session="x%2Ey"' }))).to.deep.equal({ token: 'x.y', carrier: 'cookie' });
    expect(tokenFromRequest(req({ cookie: '__session_abc=other; __sessionx=1' }))).to.equal(undefined);
  });

  it('falls back to the cookie when the header is not a usable bearer token', () => {
    expect(tokenFromRequest(req({ authorization: 'Basic dTpw', cookie: '__session=tok' }))).to.deep.equal({
      token: 'tok',
      carrier: 'cookie',
    });
    expect(tokenFromRequest(req({ authorization: 'Bearer', cookie: '__session=tok' }))).to.deep.equal({
      token: 'tok',
      carrier: 'cookie',
    });
  });

  it('finds nothing without a header or cookie', () => {
    expect(tokenFromRequest(req({}))).to.equal(undefined);
    expect(tokenFromRequest(req({ authorization: 'Bearer    ' }))).to.equal(undefined);
  });
});
