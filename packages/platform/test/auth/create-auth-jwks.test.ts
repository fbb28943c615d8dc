import { expect } from 'chai';
import request from 'supertest';
import {
  closedLocalUrl,
  signSessionToken,
  startJwksServer,
  type JwksServer,
  type TestKeyPair,
} from '../../src/testing/index.js';
import { authHarness, PARTY, sharedKeyPair } from './fixtures.js';

const SECRET = 'sk_test_jwks_secret_for_tests';

describe('createAuth with CLERK_SECRET_KEY (JWKS from the Clerk Backend API)', () => {
  let keys: TestKeyPair;
  let jwks: JwksServer;

  before(async () => {
    keys = sharedKeyPair('primary');
    jwks = await startJwksServer({ keys: [keys] });
  });
  after(() => jwks.close());

  it('fetches the JWKS once with the secret key, then verifies from the SDK cache', async () => {
    const { app, auth } = authHarness({
      ENVIRONMENT: 'production',
      CLERK_SECRET_KEY: SECRET,
      CLERK_API_URL: jwks.apiUrl,
      CLERK_AUTHORIZED_PARTIES: [PARTY],
    });
    expect(auth.mode).to.equal('jwks');
    const before = jwks.requests.length;
    for (const userId of ['user_1', 'user_2', 'user_3']) {
      const res = await request(app)
        .get('/private')
        .set('Authorization', `Bearer ${signSessionToken(keys, { userId, orgId: 'org_1', orgRole: 'admin' })}`)
        .expect(200);
      expect(res.body).to.include({ userId, orgId: 'org_1' });
    }
    const fetched = jwks.requests.slice(before);
    expect(fetched).to.have.length(1);
    expect(fetched[0]).to.include({ method: 'GET', path: '/v1/jwks' });
    expect(fetched[0]!.headers.authorization).to.equal(`Bearer ${SECRET}`);
  });

  it('refuses a token signed by a key the JWKS does not list with AUTH_INVALID_TOKEN', async () => {
    const { app } = authHarness({ ENVIRONMENT: 'staging', CLERK_SECRET_KEY: SECRET, CLERK_API_URL: jwks.apiUrl });
    const stranger = sharedKeyPair('other');
    const res = await request(app)
      .get('/private')
      .set('Authorization', `Bearer ${signSessionToken(stranger)}`)
      .expect(401);
    expect(res.body.code).to.equal('AUTH_INVALID_TOKEN');
    const forged = signSessionToken(stranger, {}, { header: { kid: keys.kid } });
    expect(
      (await request(app).get('/private').set('Authorization', `Bearer ${forged}`).expect(401)).body.code,
    ).to.equal('AUTH_INVALID_TOKEN');
  });

  it('maps expiry and azp the same way as in jwt-key mode', async () => {
    const { app } = authHarness({
      ENVIRONMENT: 'staging',
      CLERK_SECRET_KEY: SECRET,
      CLERK_API_URL: jwks.apiUrl,
      CLERK_AUTHORIZED_PARTIES: [PARTY],
    });
    const expired = await request(app)
      .get('/private')
      .set('Authorization', `Bearer ${signSessionToken(keys, {}, { expiresIn: -60 })}`)
      .expect(401);
    expect(expired.body.code).to.equal('AUTH_EXPIRED_TOKEN');
    const wrongParty = await request(app)
      .get('/private')
      .set('Cookie', `__session=${signSessionToken(keys, { authorizedParty: 'https://evil.example' })}`)
      .expect(401);
    expect(wrongParty.body.code).to.equal('AUTH_INVALID_TOKEN');
  });

  it('picks up a rotated key: an unknown kid makes the SDK fetch the JWKS again', async () => {
    const rotating = await startJwksServer({ keys: [keys] });
    try {
      const { app } = authHarness({ ENVIRONMENT: 'staging', CLERK_SECRET_KEY: SECRET, CLERK_API_URL: rotating.apiUrl });
      await request(app)
        .get('/private')
        .set('Authorization', `Bearer ${signSessionToken(keys)}`)
        .expect(200);
      const next = sharedKeyPair('third');
      rotating.setKeys([keys, next]);
      await request(app)
        .get('/private')
        .set('Authorization', `Bearer ${signSessionToken(next, { userId: 'user_rotated' })}`)
        .expect(200);
      expect(rotating.requests).to.have.length(2);
    } finally {
      await rotating.close();
    }
  });

  it('answers 503 AUTH_UNAVAILABLE when the JWKS host is unreachable, within keyFetchTimeoutMs', async () => {
    const { app, log } = authHarness(
      { ENVIRONMENT: 'staging', CLERK_SECRET_KEY: SECRET, CLERK_API_URL: await closedLocalUrl() },
      { keyFetchTimeoutMs: 300 },
    );
    const token = signSessionToken(keys);
    const started = Date.now();
    const res = await request(app).get('/private').set('Authorization', `Bearer ${token}`).expect(503);
    expect(Date.now() - started).to.be.below(2000);
    expect(res.body).to.deep.equal({
      error: 'SERVICE_UNAVAILABLE',
      code: 'AUTH_UNAVAILABLE',
      message: 'Authentication is temporarily unavailable.',
      request_id: res.headers['x-request-id'],
    });
    expect(log.entries().find((e) => e.event === 'auth_rejected')).to.include({
      level: 'warn',
      code: 'AUTH_UNAVAILABLE',
      reason: 'jwks-timeout',
    });
    expect(log.text()).not.to.include(token.split('.')[2]);
    expect(log.text()).not.to.include(SECRET);
  });

  it('answers 503 AUTH_UNAVAILABLE when the SDK gives up on a failing JWKS (its own retries, no timeout of ours)', async function () {
    this.timeout(15_000);
    this.slow(6000);
    const failing = await startJwksServer({ keys: [keys] });
    failing.setStatus(500);
    try {
      const { app, log } = authHarness(
        { ENVIRONMENT: 'staging', CLERK_SECRET_KEY: SECRET, CLERK_API_URL: failing.apiUrl },
        { keyFetchTimeoutMs: 12_000 },
      );
      const res = await request(app)
        .get('/private')
        .set('Authorization', `Bearer ${signSessionToken(keys)}`)
        .expect(503);
      expect(res.body.code).to.equal('AUTH_UNAVAILABLE');
      expect(failing.requests.length).to.be.greaterThan(1);
      expect(log.entries().find((e) => e.event === 'auth_rejected')).to.include({
        code: 'AUTH_UNAVAILABLE',
        reason: 'jwk-remote-failed-to-load',
      });
      expect(log.entries().find((e) => e.event === 'request_failed')).to.include({ code: 'AUTH_UNAVAILABLE' });
      expect(log.text()).not.to.include(SECRET);
    } finally {
      await failing.close();
    }
  });

  it('still answers 401 AUTH_MISSING_TOKEN without a token and makes no JWKS call', async () => {
    const quiet = await startJwksServer({ keys: [keys] });
    try {
      const { app } = authHarness({ ENVIRONMENT: 'staging', CLERK_SECRET_KEY: SECRET, CLERK_API_URL: quiet.apiUrl });
      expect((await request(app).get('/private').expect(401)).body.code).to.equal('AUTH_MISSING_TOKEN');
      expect(
        (await request(app).get('/private').set('Authorization', 'Bearer garbage').expect(401)).body.code,
      ).to.equal('AUTH_INVALID_TOKEN');
      expect(quiet.requests).to.have.length(0);
    } finally {
      await quiet.close();
    }
  });
});
