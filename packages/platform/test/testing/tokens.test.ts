import { expect } from 'chai';
import { createPublicKey } from 'node:crypto';
import { createTestKeyPair, signSessionToken } from '../../src/testing/index.js';

function decode(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
} {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>,
    signature,
  };
}

describe('createTestKeyPair', () => {
  it('gives an RSA-2048 pair as PEM, KeyObject and a JWK with its kid', () => {
    const keys = createTestKeyPair({ kid: 'ins_fixed' });
    expect(createPublicKey(keys.publicKeyPem).asymmetricKeyDetails?.modulusLength).to.equal(2048);
    expect(keys.jwk).to.include({ kid: 'ins_fixed', alg: 'RS256', use: 'sig', kty: 'RSA', e: 'AQAB' });
    expect(keys.privateKeyPem).to.match(/^-----BEGIN PRIVATE KEY-----/);
  });
});

describe('signSessionToken', () => {
  const keys = createTestKeyPair();

  it('makes a Clerk v2 session token by default', () => {
    const { header, payload } = decode(
      signSessionToken(keys, {
        userId: 'user_a',
        sessionId: 'sess_a',
        orgId: 'org_1',
        orgRole: 'org:admin',
        orgSlug: 'acme',
      }),
    );
    expect(header).to.deep.equal({ alg: 'RS256', cat: 'cl_B7d4PD111AAA', kid: keys.kid, typ: 'JWT' });
    expect(payload).to.include({ sub: 'user_a', sid: 'sess_a', v: 2, sts: 'active', azp: 'http://localhost:3000' });
    expect(payload.o).to.deep.equal({ id: 'org_1', rol: 'admin', slg: 'acme', per: '', fpm: '' });
    expect(payload.exp).to.equal((payload.iat as number) + 60);
    expect(payload.nbf).to.equal((payload.iat as number) - 10);
  });

  it('makes a v1 token with org_id and org_role', () => {
    const { header, payload } = decode(
      signSessionToken(
        keys,
        { orgId: 'org_1', orgRole: 'admin' },
        { version: 1, issuedAt: 1_700_000_000, expiresIn: 300 },
      ),
    );
    expect(header).to.deep.equal({ alg: 'RS256', kid: keys.kid, typ: 'JWT' });
    expect(payload).to.include({ org_id: 'org_1', org_role: 'org:admin', iat: 1_700_000_000, exp: 1_700_000_300 });
    expect(payload).not.to.have.property('v');
  });

  it('applies extra and omitted claims, header overrides and attack algorithms', () => {
    const { payload } = decode(
      signSessionToken(keys, {}, { extraClaims: { custom: 1, sub: 'user_forged' }, omitClaims: ['sid'] }),
    );
    expect(payload).to.include({ custom: 1, sub: 'user_forged' }).and.not.have.property('sid');
    expect(decode(signSessionToken(keys, {}, { header: { kid: 'other' } })).header.kid).to.equal('other');
    const none = decode(signSessionToken(keys, {}, { algorithm: 'none' }));
    expect(none.header.alg).to.equal('none');
    expect(none.signature).to.equal('');
    expect(decode(signSessionToken(keys, {}, { algorithm: 'HS256' })).header.alg).to.equal('HS256');
  });
});
