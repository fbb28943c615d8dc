import { buildPublishableKey } from '@clerk/shared/keys';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { isConfigError, loadConfig, type AuthOptions } from '../../src/index.js';
import { createLocalSessionToken, createSessionVerifier, ensureLocalSigningKey } from '../../src/public/auth.js';
import { signSessionToken, startJwksServer, type TestKeyPair } from '../../src/testing/index.js';
import { authHarness, PARTY, sharedKeyPair, type AuthHarness } from './fixtures.js';

const ISSUER = 'https://clerk.example.com';

// The publishable key as Clerk's docs define it, written out here rather than with Clerk's helper:
// `pk_test_`/`pk_live_` + base64 of the Frontend API host followed by `$`.
function publishableKeyFor(host: string, instance: 'test' | 'live' = 'live'): string {
  return `pk_${instance}_${Buffer.from(`${host}$`).toString('base64')}`;
}

async function status(harness: AuthHarness, token: string): Promise<{ status: number; code?: string }> {
  const res = await request(harness.app).get('/private').set('Authorization', `Bearer ${token}`);
  return { status: res.status, ...(res.status === 200 ? {} : { code: res.body.code as string }) };
}

describe('createAuth: the token issuer (iss)', () => {
  let keys: TestKeyPair;
  before(() => {
    keys = sharedKeyPair('primary');
  });
  const harness = (config: Partial<AuthOptions['config']>) =>
    authHarness({
      ENVIRONMENT: 'production',
      CLERK_JWT_KEY: keys.publicKeyPem,
      CLERK_AUTHORIZED_PARTIES: [PARTY],
      ...config,
    });

  it('with CLERK_ISSUER, accepts its tokens and refuses another issuer or none with 401 AUTH_INVALID_TOKEN', async () => {
    const h = harness({ CLERK_ISSUER: ISSUER });
    expect(h.auth.issuer).to.equal(ISSUER);
    expect(await status(h, signSessionToken(keys, { issuer: ISSUER }))).to.deep.equal({ status: 200 });
    expect(await status(h, signSessionToken(keys, { issuer: 'https://clerk.other-instance.example' }))).to.deep.equal({
      status: 401,
      code: 'AUTH_INVALID_TOKEN',
    });
    expect(await status(h, signSessionToken(keys, { issuer: `${ISSUER}/` }))).to.deep.equal({
      status: 401,
      code: 'AUTH_INVALID_TOKEN',
    });
    expect(await status(h, signSessionToken(keys, {}, { omitClaims: ['iss'] }))).to.deep.equal({
      status: 401,
      code: 'AUTH_INVALID_TOKEN',
    });
    expect(await status(h, signSessionToken(keys, {}, { extraClaims: { iss: 42 } }))).to.deep.equal({
      status: 401,
      code: 'AUTH_INVALID_TOKEN',
    });
    const reasons = h.log
      .entries()
      .filter((e) => e.event === 'auth_rejected')
      .map((e) => e.reason);
    expect(reasons).to.deep.equal([
      'token-invalid-issuer',
      'token-invalid-issuer',
      'token-invalid-issuer',
      'token-invalid-issuer',
    ]);
    expect(h.log.entries().find((e) => e.event === 'auth_configured')).to.include({ issuer: ISSUER });
  });

  it('derives the issuer from CLERK_PUBLISHABLE_KEY as Clerk does, for live and test keys', async () => {
    for (const [host, instance] of [
      ['clerk.example.com', 'live'],
      ['happy-otter-42.clerk.accounts.dev', 'test'],
    ] as const) {
      const publishableKey = publishableKeyFor(host, instance);
      // Clerk's own builder agrees with the definition above.
      expect(buildPublishableKey(host)).to.equal(publishableKey.replace(/=+$/, ''));
      const h = harness({ CLERK_PUBLISHABLE_KEY: publishableKey });
      expect(h.auth.issuer).to.equal(`https://${host}`);
      expect(await status(h, signSessionToken(keys, { issuer: `https://${host}` }))).to.deep.equal({ status: 200 });
      expect(
        await status(
          h,
          signSessionToken(keys, { issuer: ISSUER === `https://${host}` ? 'https://x.example' : ISSUER }),
        ),
      ).to.deep.equal({ status: 401, code: 'AUTH_INVALID_TOKEN' });
    }
  });

  it('prefers CLERK_ISSUER over the publishable key (a proxied Frontend API)', async () => {
    const h = harness({
      CLERK_ISSUER: 'https://auth.example.com/',
      CLERK_PUBLISHABLE_KEY: publishableKeyFor('clerk.example.com'),
    });
    expect(h.auth.issuer).to.equal('https://auth.example.com');
    expect(await status(h, signSessionToken(keys, { issuer: 'https://auth.example.com' }))).to.deep.equal({
      status: 200,
    });
    expect(await status(h, signSessionToken(keys, { issuer: ISSUER }))).to.deep.equal({
      status: 401,
      code: 'AUTH_INVALID_TOKEN',
    });
  });

  it('checks no issuer when neither variable is set (the start-up log warns in production)', async () => {
    const h = harness({});
    expect(h.auth.issuer).to.equal(undefined);
    expect(h.log.entries().find((e) => e.event === 'auth_configured')).to.include({ issuer: null });
    expect(await status(h, signSessionToken(keys, { issuer: 'https://anything.example' }))).to.deep.equal({
      status: 200,
    });
  });

  it('refuses a publishable key that is not one, as configuration', () => {
    expect(() => harness({ CLERK_PUBLISHABLE_KEY: 'pk_live_bm90LWEta2V5' })).to.throw(
      /CLERK_PUBLISHABLE_KEY: must be a Clerk publishable key/,
    );
    try {
      loadConfig({ env: { CLERK_PUBLISHABLE_KEY: 'pk_live_bm90LWEta2V5' }, envFile: false });
      expect.fail('loadConfig accepted an invalid publishable key');
    } catch (error) {
      expect(isConfigError(error) && error.problems.map((p) => p.variable)).to.deep.equal(['CLERK_PUBLISHABLE_KEY']);
    }
  });

  it('loads CLERK_ISSUER without its trailing slash and refuses http:// in production', () => {
    const base = { CLERK_SECRET_KEY: 'sk_test_x', CLERK_AUTHORIZED_PARTIES: 'https://app.example.com' };
    expect(
      loadConfig({ env: { ...base, CLERK_ISSUER: 'https://clerk.example.com/' }, envFile: false }).CLERK_ISSUER,
    ).to.equal('https://clerk.example.com');
    expect(() =>
      loadConfig({
        env: { ...base, ENVIRONMENT: 'production', CLERK_ISSUER: 'http://clerk.example.com' },
        envFile: false,
      }),
    ).to.throw(/CLERK_ISSUER: must be an https:\/\/ URL in production/);
  });

  it('checks the issuer in JWKS mode the same way', async () => {
    const jwks = await startJwksServer({ keys: [keys] });
    try {
      const h = authHarness({
        ENVIRONMENT: 'staging',
        CLERK_SECRET_KEY: 'sk_test_issuer',
        CLERK_API_URL: jwks.apiUrl,
        CLERK_ISSUER: ISSUER,
      });
      expect(await status(h, signSessionToken(keys, { issuer: ISSUER }))).to.deep.equal({ status: 200 });
      expect(await status(h, signSessionToken(keys, { issuer: 'https://clerk.other-instance.example' }))).to.deep.equal(
        { status: 401, code: 'AUTH_INVALID_TOKEN' },
      );
    } finally {
      await jwks.close();
    }
  });

  it('createSessionVerifier takes the issuer directly', async () => {
    const verifier = createSessionVerifier({ key: { kind: 'jwt-key', jwtKey: keys.publicKeyPem }, issuer: ISSUER });
    expect(await verifier.verify(signSessionToken(keys, { issuer: ISSUER }))).to.include({ ok: true });
    expect(await verifier.verify(signSessionToken(keys, { issuer: 'https://x.example' }))).to.deep.include({
      ok: false,
      code: 'AUTH_INVALID_TOKEN',
      reason: 'token-invalid-issuer',
    });
  });

  describe('local mode', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'platform-issuer-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('mints tokens with the local issuer and checks it like any other', async () => {
      const h = authHarness({ ENVIRONMENT: 'local', CLERK_ISSUER: ISSUER }, { localKeyDir: dir });
      expect(h.auth.issuer).to.equal('https://clerk.local');
      const key = ensureLocalSigningKey(dir);
      const local = createLocalSessionToken(key, { userId: 'user_local_iss' });
      expect(JSON.parse(Buffer.from(local.split('.')[1]!, 'base64url').toString('utf8'))).to.include({
        iss: 'https://clerk.local',
      });
      expect(await status(h, local)).to.deep.equal({ status: 200 });
      // Signed with the very same local key, but another issuer or none: refused.
      const sameKey: TestKeyPair = {
        ...keys,
        kid: key.kid,
        privateKey: key.privateKey,
        publicKeyPem: key.publicKeyPem,
      };
      expect(await status(h, signSessionToken(sameKey, { issuer: ISSUER }))).to.deep.equal({
        status: 401,
        code: 'AUTH_INVALID_TOKEN',
      });
      expect(await status(h, signSessionToken(sameKey, {}, { omitClaims: ['iss'] }))).to.deep.equal({
        status: 401,
        code: 'AUTH_INVALID_TOKEN',
      });
      expect(await status(h, signSessionToken(sameKey, { issuer: 'https://clerk.local' }))).to.deep.equal({
        status: 200,
      });
    });
  });
});
