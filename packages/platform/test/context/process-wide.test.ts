import { expect } from 'chai';
import type { Request } from 'express';
import { processWide } from '../../src/context/process-wide.js';
import type * as principalModule from '../../src/auth/principal.js';
import { setPrincipal, tryGetPrincipal, type Principal } from '../../src/auth/principal.js';

// A second copy of a module, as when a service's dependency tree holds two versions of the
// platform: the query string gives it its own module instance and its own module state.
async function secondCopy<T>(path: string): Promise<T> {
  return (await import(`${path}?second-copy=${Date.now()}`)) as T;
}

describe('processWide', () => {
  it('makes one value per name, on first use, whoever asks', () => {
    let made = 0;
    const name = `test-${Date.now()}`;
    const first = processWide(name, () => ({ made: ++made }));
    const second = processWide(name, () => ({ made: ++made }));
    expect(made).to.equal(0);
    expect(second()).to.equal(first());
    expect(first()).to.equal(first());
    expect(made).to.equal(1);
  });

  it('lets a second copy of the platform find the principal the first one set', async () => {
    const other = await secondCopy<typeof principalModule>('../../src/auth/principal.js');
    expect(other.tryGetPrincipal).to.not.equal(tryGetPrincipal);
    const req = {} as Request;
    const principal: Principal = { userId: 'user_1', sessionId: 'sess_1', orgId: null, roles: [], claims: {} };
    setPrincipal(req, principal);
    expect(other.tryGetPrincipal(req)).to.equal(principal);
    expect(Object.getOwnPropertySymbols(req)).to.deep.equal([]);
  });
});
