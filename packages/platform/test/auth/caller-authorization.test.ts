import { expect } from 'chai';
import type { Request } from 'express';
import { callerAuthorization } from '../../src/index.js';
import { SESSION_COOKIE } from '../../src/public/auth.js';

const requestWith = (headers: Record<string, string>): Request => ({ headers }) as unknown as Request;

describe('callerAuthorization', () => {
  it('forwards a bearer token as it came', () => {
    expect(callerAuthorization(requestWith({ authorization: 'Bearer abc.def.ghi' }))).to.deep.equal({
      authorization: 'Bearer abc.def.ghi',
    });
  });

  it('turns the __session cookie into a bearer header (upstreams get no browser cookies)', () => {
    expect(callerAuthorization(requestWith({ cookie: `theme=dark; ${SESSION_COOKIE}=abc.def.ghi` }))).to.deep.equal({
      authorization: 'Bearer abc.def.ghi',
    });
  });

  it('forwards nothing without a token, or with another scheme', () => {
    expect(callerAuthorization(requestWith({}))).to.deep.equal({});
    expect(callerAuthorization(requestWith({ authorization: 'Basic dXNlcjpwYXNz' }))).to.deep.equal({});
  });
});
