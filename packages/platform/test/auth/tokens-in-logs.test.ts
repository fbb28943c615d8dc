import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createLocalSessionToken, ensureLocalSigningKey } from '../../src/public/auth.js';
import { closedLocalUrl, signSessionToken, startJwksServer } from '../../src/testing/index.js';
import { authHarness, PARTY, sharedKeyPair, type AuthHarness } from './fixtures.js';

// Every part of a JWT that could identify it: the whole token, its payload and its signature.
function fragments(token: string): string[] {
  const parts = token.split('.').filter((part) => part.length > 8);
  return [token, ...parts.slice(1)];
}

async function callWithEveryCarrier(harness: AuthHarness, tokens: readonly string[]): Promise<void> {
  for (const token of tokens) {
    await request(harness.app).get('/private').set('Authorization', `Bearer ${token}`);
    await request(harness.app).get('/private').set('Cookie', `__session=${token}`);
    await request(harness.app).get('/admin').set('Authorization', `Bearer ${token}`);
    await request(harness.app).post('/private').set('Authorization', `Bearer ${token}`).send({ title: 7 });
  }
}

describe('auth logging', () => {
  it('never writes a token, in any mode, outcome or carrier, even at debug level', async function () {
    this.timeout(20_000);
    const keys = sharedKeyPair('primary');
    const other = sharedKeyPair('other');
    const tokens = [
      signSessionToken(keys, { userId: 'user_ok', orgId: 'org_1', orgRole: 'admin' }),
      signSessionToken(keys, { userId: 'user_member', orgId: 'org_1', orgRole: 'member' }, { version: 1 }),
      signSessionToken(keys, {}, { expiresIn: -60 }),
      signSessionToken(other),
      signSessionToken(keys, {}, { algorithm: 'none' }),
      signSessionToken(keys, {}, { algorithm: 'HS256' }),
      signSessionToken(keys, { authorizedParty: 'https://evil.example' }),
      signSessionToken(keys, {}, { omitClaims: ['sid'] }),
      signSessionToken(keys, {}, { notBefore: 120 }),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'platform-auth-'));
    const jwks = await startJwksServer({ keys: [keys] });
    try {
      const local = createLocalSessionToken(ensureLocalSigningKey(dir), { userId: 'user_local' });
      const runs: [AuthHarness, readonly string[]][] = [
        [
          authHarness({ ENVIRONMENT: 'staging', CLERK_JWT_KEY: keys.publicKeyPem, CLERK_AUTHORIZED_PARTIES: [PARTY] }),
          tokens,
        ],
        [
          authHarness({
            ENVIRONMENT: 'staging',
            CLERK_SECRET_KEY: 'sk_test_logscan',
            CLERK_API_URL: jwks.apiUrl,
            CLERK_AUTHORIZED_PARTIES: [PARTY],
          }),
          tokens,
        ],
        // Unreachable JWKS: every call waits for the timeout, so two tokens are enough.
        [
          authHarness(
            { ENVIRONMENT: 'staging', CLERK_SECRET_KEY: 'sk_test_logscan', CLERK_API_URL: await closedLocalUrl() },
            { keyFetchTimeoutMs: 50 },
          ),
          tokens.slice(0, 2),
        ],
        [authHarness({ ENVIRONMENT: 'local' }, { localKeyDir: dir }), [...tokens, local]],
      ];
      for (const [harness, sent] of runs) await callWithEveryCarrier(harness, sent);
      const harnesses = runs.map(([harness]) => harness);

      const text = harnesses.map((h) => h.log.text()).join('\n');
      // The scan must have seen real traffic: successes, refusals and 503s were all logged.
      expect(text)
        .to.include('"user_id":"user_ok"')
        .and.include('auth_rejected')
        .and.include('AUTH_UNAVAILABLE')
        .and.include('"user_id":"user_local"');
      for (const token of [...tokens, local]) {
        for (const fragment of fragments(token)) expect(text).not.to.include(fragment);
      }
      expect(text).not.to.include('sk_test_logscan');
      expect(text.toLowerCase()).not.to.include('bearer ');
    } finally {
      await jwks.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
