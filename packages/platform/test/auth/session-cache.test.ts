import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { closedLocalUrl, signSessionToken, type TestKeyPair } from '../../src/testing/index.js';
import { createAuth, createMetrics, createServiceApp, loadConfig } from '../../src/index.js';
import { type SessionVerifier, type VerificationResult } from '../../src/auth/session-verifier.js';
import { createSessionVerifier } from '../../src/public/auth.js';
import { captureLogger, testLifecycle } from '../helpers.js';
import { authHarness, PARTY, sharedKeyPair } from './fixtures.js';

const ISSUER = 'https://clerk.example.test';

function verifier(
  keys: TestKeyPair,
  options: Partial<Parameters<typeof createSessionVerifier>[0]> = {},
): SessionVerifier {
  return createSessionVerifier({
    key: { kind: 'jwt-key', jwtKey: keys.publicKeyPem },
    authorizedParties: [PARTY],
    issuer: ISSUER,
    ...options,
  });
}

function refusal(result: VerificationResult): { code: string; reason: string } | undefined {
  return result.ok ? undefined : { code: result.code, reason: result.reason };
}

/** A verdict with the wall-clock window the verification ran in. */
interface Timed {
  readonly ok: boolean;
  readonly code: string | undefined;
  readonly from: number;
  readonly to: number;
}

async function timed(target: SessionVerifier, token: string): Promise<Timed> {
  const from = Date.now();
  const result = await target.verify(token);
  return { ok: result.ok, code: result.ok ? undefined : result.code, from, to: Date.now() };
}

describe('verified-session cache', () => {
  let keys: TestKeyPair;
  before(() => {
    keys = sharedKeyPair('primary');
  });

  it('verifies a token once: the next verification is a hit with the same, deeply frozen principal', async () => {
    const cached = verifier(keys);
    const token = signSessionToken(keys, { userId: 'user_a', orgId: 'org_1', orgRole: 'admin', issuer: ISSUER });
    const first = await cached.verify(token);
    const second = await cached.verify(token);
    expect(first.ok && second.ok).to.equal(true);
    if (!first.ok || !second.ok) return;
    expect(second.principal).to.equal(first.principal);
    expect(cached.cacheStats()).to.deep.equal({ hits: 1, misses: 1, entries: 1, maxEntries: 10_000 });
    expect(Object.isFrozen(second.principal.claims.o)).to.equal(true);
    expect(Object.isFrozen(second.principal.roles)).to.equal(true);
  });

  it('lets a cached token expire at the same instant as an uncached verification does (exp plus the clock skew)', async function () {
    this.timeout(10_000);
    const clockSkewMs = 150;
    const cached = verifier(keys, { clockSkewMs });
    const uncached = verifier(keys, { clockSkewMs, cache: false });
    // exp is whole seconds: the next second but one, so the token is valid now and expires soon.
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = signSessionToken(keys, { issuer: ISSUER }, { issuedAt: exp - 60, expiresIn: 60 });
    const boundary = exp * 1000 + clockSkewMs;
    expect((await cached.verify(token)).ok).to.equal(true);

    const verdicts: { cached: Timed; uncached: Timed }[] = [];
    // Until well past the boundary, and a few verdicts after it even on a slow machine.
    while (Date.now() < boundary + 60 || verdicts.filter((v) => v.cached.from >= boundary).length < 5) {
      verdicts.push({ cached: await timed(cached, token), uncached: await timed(uncached, token) });
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    // Every verdict that did not straddle the boundary is "valid" before it and "expired" from it on, for both.
    for (const verdict of verdicts) {
      for (const one of [verdict.cached, verdict.uncached]) {
        if (one.to < boundary) expect(one, `before the boundary (${one.to} < ${boundary})`).to.include({ ok: true });
        if (one.from >= boundary)
          expect(one, `after the boundary (${one.from} >= ${boundary})`).to.include({
            ok: false,
            code: 'AUTH_EXPIRED_TOKEN',
          });
      }
    }
    expect(verdicts.filter((v) => v.cached.to < boundary)).to.have.length.above(3);
    // The cache served it until then: all but the first verification before the boundary were hits.
    expect(cached.cacheStats()!.hits).to.be.at.least(verdicts.filter((v) => v.cached.to < boundary).length);
  });

  it('still refuses a token made for another authorised party, from the cache too', async () => {
    const cached = verifier(keys);
    const elsewhere = signSessionToken(keys, { authorizedParty: 'https://evil.example', issuer: ISSUER });
    for (let i = 0; i < 3; i++)
      expect(refusal(await cached.verify(elsewhere))).to.deep.equal({
        code: 'AUTH_INVALID_TOKEN',
        reason: 'token-invalid-authorized-parties',
      });
    expect(cached.cacheStats()).to.include({ hits: 2, misses: 1 });
  });

  it('keeps one cache per verifier: a token another verifier accepted is refused under other azp or iss rules', async () => {
    const lenient = createSessionVerifier({ key: { kind: 'jwt-key', jwtKey: keys.publicKeyPem } });
    const strict = verifier(keys, { authorizedParties: ['https://app.example.com'] });
    const otherIssuer = verifier(keys, { authorizedParties: [], issuer: 'https://clerk.other.test' });
    const token = signSessionToken(keys, { authorizedParty: PARTY, issuer: ISSUER });
    for (let i = 0; i < 2; i++) expect((await lenient.verify(token)).ok).to.equal(true);
    for (let i = 0; i < 2; i++) {
      expect(refusal(await strict.verify(token))).to.deep.equal({
        code: 'AUTH_INVALID_TOKEN',
        reason: 'token-invalid-authorized-parties',
      });
      expect(refusal(await otherIssuer.verify(token))).to.deep.equal({
        code: 'AUTH_INVALID_TOKEN',
        reason: 'token-invalid-issuer',
      });
    }
  });

  it('never grows past its bound: the least recently used token goes first', async () => {
    const cached = verifier(keys, { cache: { maxEntries: 5 } });
    const tokens = Array.from({ length: 12 }, (_, i) =>
      signSessionToken(keys, { userId: `user_${i}`, issuer: ISSUER }),
    );
    for (const token of tokens) {
      expect((await cached.verify(token)).ok).to.equal(true);
      expect(cached.cacheStats()!.entries).to.be.at.most(5);
    }
    expect(cached.cacheStats()).to.include({ entries: 5, misses: 12, hits: 0 });
    await cached.verify(tokens[11]!);
    expect(cached.cacheStats()).to.include({ hits: 1 });
    await cached.verify(tokens[0]!);
    expect(cached.cacheStats()).to.include({ hits: 1, misses: 13, entries: 5 });
  });

  it('remembers a lasting refusal only for its short window', async () => {
    const cached = verifier(keys, { cache: { failureTtlMs: 100 } });
    const [header, payload, signature] = signSessionToken(keys, { issuer: ISSUER }).split('.') as [
      string,
      string,
      string,
    ];
    const flipped = Buffer.from(signature, 'base64url');
    flipped[3] = flipped[3]! ^ 0xff;
    const forged = `${header}.${payload}.${flipped.toString('base64url')}`;
    await cached.verify(forged);
    expect(refusal(await cached.verify(forged))).to.deep.equal({
      code: 'AUTH_INVALID_TOKEN',
      reason: 'token-invalid-signature',
    });
    expect(cached.cacheStats()).to.include({ hits: 1, misses: 1 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(refusal(await cached.verify(forged))).to.deep.equal({
      code: 'AUTH_INVALID_TOKEN',
      reason: 'token-invalid-signature',
    });
    expect(cached.cacheStats()).to.include({ hits: 1, misses: 2 });
  });

  it('never remembers a refusal that time or the network can change: not valid yet, keys unreachable', async () => {
    const cached = verifier(keys);
    const early = signSessionToken(keys, { issuer: ISSUER }, { notBefore: 60 });
    for (let i = 0; i < 2; i++)
      expect(refusal(await cached.verify(early))).to.deep.equal({
        code: 'AUTH_INVALID_TOKEN',
        reason: 'token-not-active-yet',
      });
    expect(cached.cacheStats()).to.include({ hits: 0, misses: 2, entries: 0 });

    const remote = createSessionVerifier({
      key: { kind: 'jwks', secretKey: 'sk_test_unreachable', apiUrl: await closedLocalUrl() },
      keyFetchTimeoutMs: 300,
    });
    const token = signSessionToken(keys);
    for (let i = 0; i < 2; i++) expect(refusal(await remote.verify(token))?.code).to.equal('AUTH_UNAVAILABLE');
    expect(remote.cacheStats()).to.include({ hits: 0, misses: 2, entries: 0 });
  });

  it('is off with cache: false, and with AUTH_SESSION_CACHE_SIZE=0', async () => {
    expect(verifier(keys, { cache: false }).cacheStats()).to.equal(undefined);
    const { app, auth } = authHarness({
      ENVIRONMENT: 'staging',
      CLERK_JWT_KEY: keys.publicKeyPem,
      AUTH_SESSION_CACHE_SIZE: 0,
    });
    const token = signSessionToken(keys);
    for (let i = 0; i < 2; i++) await request(app).get('/private').set('Authorization', `Bearer ${token}`).expect(200);
    expect(auth.sessionCacheStats()).to.equal(undefined);
    expect(loadConfig({ env: { AUTH_SESSION_CACHE_SIZE: '0' }, envFile: false }).AUTH_SESSION_CACHE_SIZE).to.equal(0);
    expect(loadConfig({ env: {}, envFile: false }).AUTH_SESSION_CACHE_SIZE).to.equal(10_000);
  });

  it('counts hits and misses on /metrics', async () => {
    const log = captureLogger();
    const metrics = createMetrics({ defaultMetrics: false, prefix: 'svc_' });
    const auth = createAuth({
      config: { ENVIRONMENT: 'staging', CLERK_JWT_KEY: keys.publicKeyPem, AUTH_SESSION_CACHE_SIZE: 100 },
      logger: log.logger,
      metrics,
    });
    const app = createServiceApp({
      config: loadConfig({ env: {}, envFile: false }),
      logger: log.logger,
      lifecycle: testLifecycle({ metrics }),
      routes: (app: Express) => {
        app.get('/private', auth.requireAuth(), (_req, res) => {
          res.json({ ok: true });
        });
      },
    });
    const token = signSessionToken(keys);
    for (let i = 0; i < 3; i++) await request(app).get('/private').set('Authorization', `Bearer ${token}`).expect(200);
    await request(app)
      .get('/private')
      .set('Authorization', `Bearer ${signSessionToken(keys)}`)
      .expect(200);
    const scraped = (await request(app).get('/metrics').expect(200)).text;
    expect(scraped).to.match(/^svc_auth_session_cache_hits_total 2$/m);
    expect(scraped).to.match(/^svc_auth_session_cache_misses_total 2$/m);
    expect(scraped).to.match(/^svc_auth_session_cache_entries 2$/m);
    // Read at scrape time: a later scrape shows later counts.
    await request(app).get('/private').set('Authorization', `Bearer ${token}`).expect(200);
    expect((await request(app).get('/metrics').expect(200)).text).to.match(/^svc_auth_session_cache_hits_total 3$/m);
  });
});
