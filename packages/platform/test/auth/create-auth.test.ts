import { expect } from 'chai';
import request from 'supertest';
import { signSessionToken, type TestKeyPair } from '../../src/testing/index.js';
import { authHarness, PARTY, sharedKeyPair, type AuthHarness } from './fixtures.js';

function tamperPayload(token: string, change: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = {
    ...(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>),
    ...change,
  };
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

function flipSignature(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const bytes = Buffer.from(signature, 'base64url');
  bytes[10] = bytes[10]! ^ 0xff;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

async function expectError(
  harness: AuthHarness,
  headers: Record<string, string>,
  status: number,
  code: string,
): Promise<void> {
  const res = await request(harness.app).get('/private').set(headers).expect(status);
  expect(res.body).to.deep.equal({
    error: status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : 'SERVICE_UNAVAILABLE',
    message: res.body.message,
    code,
    request_id: res.headers['x-request-id'],
  });
  expect(res.body.message).to.be.a('string').and.not.equal('');
}

describe('createAuth', () => {
  let keys: TestKeyPair;
  let otherKeys: TestKeyPair;
  let harness: AuthHarness;

  before(() => {
    keys = sharedKeyPair('primary');
    otherKeys = sharedKeyPair('other');
    harness = authHarness({
      ENVIRONMENT: 'staging',
      CLERK_JWT_KEY: keys.publicKeyPem,
      CLERK_AUTHORIZED_PARTIES: [PARTY],
    });
  });

  it('verifies with the PEM key (jwt-key mode) when CLERK_JWT_KEY is set', () => {
    expect(harness.auth.mode).to.equal('jwt-key');
  });

  it('lets a valid v2 bearer token through with its principal', async () => {
    const token = signSessionToken(keys, { userId: 'user_a', sessionId: 'sess_a', orgId: 'org_1', orgRole: 'admin' });
    const res = await request(harness.app).get('/private').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).to.deep.equal({ userId: 'user_a', sessionId: 'sess_a', orgId: 'org_1', roles: ['org:admin'] });
  });

  it('reads the principal of a v1 token (org_id, org_role)', async () => {
    const token = signSessionToken(
      keys,
      { userId: 'user_v1', sessionId: 'sess_v1', orgId: 'org_9', orgRole: 'org:billing' },
      { version: 1 },
    );
    const res = await request(harness.app).get('/private').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).to.deep.equal({ userId: 'user_v1', sessionId: 'sess_v1', orgId: 'org_9', roles: ['org:billing'] });
  });

  it('gives a principal without organization null orgId and no roles', async () => {
    for (const version of [1, 2] as const) {
      const token = signSessionToken(keys, { userId: 'user_solo', sessionId: 'sess_solo' }, { version });
      const res = await request(harness.app).get('/private').set('Authorization', `Bearer ${token}`).expect(200);
      expect(res.body).to.deep.equal({ userId: 'user_solo', sessionId: 'sess_solo', orgId: null, roles: [] });
    }
  });

  it('accepts the token from the __session cookie', async () => {
    const token = signSessionToken(keys, { userId: 'user_cookie', sessionId: 'sess_c' });
    const res = await request(harness.app)
      .get('/private')
      .set('Cookie', `theme=dark; __session=${token}; other=1`)
      .expect(200);
    expect(res.body.userId).to.equal('user_cookie');
  });

  it('prefers the Authorization header over the cookie', async () => {
    const header = signSessionToken(keys, { userId: 'user_header' });
    const cookie = signSessionToken(keys, { userId: 'user_cookie' });
    const res = await request(harness.app)
      .get('/private')
      .set('Authorization', `Bearer ${header}`)
      .set('Cookie', `__session=${cookie}`)
      .expect(200);
    expect(res.body.userId).to.equal('user_header');
  });

  describe('refusals (docs/contract.md "Authentication")', () => {
    const rows: { name: string; headers: () => Record<string, string>; code: string }[] = [
      { name: 'no token at all', headers: () => ({}), code: 'AUTH_MISSING_TOKEN' },
      { name: 'an empty bearer token', headers: () => ({ Authorization: 'Bearer ' }), code: 'AUTH_MISSING_TOKEN' },
      {
        name: 'another scheme (Basic)',
        headers: () => ({ Authorization: 'Basic dXNlcjpwYXNz' }),
        code: 'AUTH_MISSING_TOKEN',
      },
      { name: 'an empty __session cookie', headers: () => ({ Cookie: '__session=' }), code: 'AUTH_MISSING_TOKEN' },
      {
        name: 'an expired token',
        headers: () => bearer(signSessionToken(keys, {}, { expiresIn: -60 })),
        code: 'AUTH_EXPIRED_TOKEN',
      },
      {
        name: 'a token expired 8 s ago (beyond the 5 s skew)',
        headers: () => bearer(signSessionToken(keys, {}, { expiresIn: -8 })),
        code: 'AUTH_EXPIRED_TOKEN',
      },
      {
        name: 'an expired token in the cookie',
        headers: () => ({ Cookie: `__session=${signSessionToken(keys, {}, { expiresIn: -60 })}` }),
        code: 'AUTH_EXPIRED_TOKEN',
      },
      {
        name: 'a bad signature',
        headers: () => bearer(flipSignature(signSessionToken(keys))),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'a token signed by another key',
        headers: () => bearer(signSessionToken(otherKeys)),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'an expired token signed by another key',
        headers: () => bearer(signSessionToken(otherKeys, {}, { expiresIn: -60 })),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'alg: none',
        headers: () => bearer(signSessionToken(keys, {}, { algorithm: 'none' })),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'alg: none with the signature kept',
        headers: () => bearer(withHeader(signSessionToken(keys), { alg: 'none' })),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'HS256 signed with the public key',
        headers: () => bearer(signSessionToken(keys, {}, { algorithm: 'HS256' })),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'RS384 (RS256 only)',
        headers: () => bearer(signSessionToken(keys, {}, { algorithm: 'RS384' })),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'a token not valid for another minute',
        headers: () => bearer(signSessionToken(keys, {}, { notBefore: 60 })),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'a token issued in the future',
        headers: () => bearer(signSessionToken(keys, {}, { issuedAt: now() + 60, notBefore: 0 })),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'a wrong azp',
        headers: () => bearer(signSessionToken(keys, { authorizedParty: 'https://evil.example' })),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'no azp while authorized parties are set',
        headers: () => bearer(signSessionToken(keys, {}, { omitClaims: ['azp'] })),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'a missing sub',
        headers: () => bearer(signSessionToken(keys, {}, { omitClaims: ['sub'] })),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'an empty sub',
        headers: () => bearer(signSessionToken(keys, { userId: '' })),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'a missing sid',
        headers: () => bearer(signSessionToken(keys, {}, { omitClaims: ['sid'] })),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'a pending session (sts: pending)',
        headers: () => bearer(signSessionToken(keys, {}, { extraClaims: { sts: 'pending' } })),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'a tampered payload (sub changed)',
        headers: () => bearer(tamperPayload(signSessionToken(keys, { userId: 'user_a' }), { sub: 'user_b' })),
        code: 'AUTH_INVALID_TOKEN',
      },
      {
        name: 'a tampered payload (exp extended)',
        headers: () => bearer(tamperPayload(signSessionToken(keys, {}, { expiresIn: -60 }), { exp: now() + 3600 })),
        code: 'AUTH_INVALID_TOKEN',
      },
      { name: 'garbage', headers: () => bearer('not-a-token'), code: 'AUTH_INVALID_TOKEN' },
      { name: 'three garbage parts', headers: () => bearer('abc.def.ghi'), code: 'AUTH_INVALID_TOKEN' },
      {
        name: 'a header that is not JSON',
        headers: () => bearer(`${Buffer.from('{oops').toString('base64url')}.e30.c2ln`),
        code: 'AUTH_INVALID_TOKEN',
      },
      { name: 'an oversized token', headers: () => bearer(`${'a'.repeat(9000)}.b.c`), code: 'AUTH_INVALID_TOKEN' },
      { name: 'a garbage cookie', headers: () => ({ Cookie: '__session=%E0%A4%A' }), code: 'AUTH_INVALID_TOKEN' },
    ];
    for (const row of rows) {
      it(`answers ${row.code} for ${row.name}`, async () => {
        await expectError(harness, row.headers(), 401, row.code);
      });
    }

    it('refuses every algorithm but RS256 itself, before the SDK (which would take RS384/RS512 with a matching key)', async () => {
      for (const algorithm of ['RS384', 'HS256', 'none'] as const) {
        const res = await request(harness.app)
          .get('/private')
          .set(bearer(signSessionToken(keys, {}, { algorithm })))
          .expect(401);
        const line = harness.log
          .entries()
          .find((e) => e.event === 'auth_rejected' && e.request_id === res.headers['x-request-id']);
        expect(line, algorithm).to.include({ code: 'AUTH_INVALID_TOKEN', reason: 'alg-not-rs256' });
      }
    });

    it('sends WWW-Authenticate with the 401s', async () => {
      const missing = await request(harness.app).get('/private').expect(401);
      expect(missing.headers['www-authenticate']).to.equal('Bearer');
      const invalid = await request(harness.app).get('/private').set(bearer('x.y.z')).expect(401);
      expect(invalid.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
    });
  });

  it('allows 5 s of clock skew on exp and nbf', async () => {
    await request(harness.app)
      .get('/private')
      .set(bearer(signSessionToken(keys, {}, { expiresIn: -3 })))
      .expect(200);
    await request(harness.app)
      .get('/private')
      .set(bearer(signSessionToken(keys, {}, { notBefore: 3 })))
      .expect(200);
  });

  it('runs before request validation', async () => {
    const invalidBody = { title: 42, owner_id: 'user_x' };
    const anonymous = await request(harness.app).post('/private').send(invalidBody).expect(401);
    expect(anonymous.body.code).to.equal('AUTH_MISSING_TOKEN');
    const expired = await request(harness.app)
      .post('/private')
      .set(bearer(signSessionToken(keys, {}, { expiresIn: -60 })))
      .send(invalidBody)
      .expect(401);
    expect(expired.body.code).to.equal('AUTH_EXPIRED_TOKEN');
    const authed = await request(harness.app)
      .post('/private')
      .set(bearer(signSessionToken(keys)))
      .send(invalidBody)
      .expect(422);
    expect(authed.body.code).to.equal('VALIDATION_FAILED');
    await request(harness.app)
      .post('/private')
      .set(bearer(signSessionToken(keys)))
      .send({ title: 'ok' })
      .expect(201);
  });

  it('puts user_id in the request scope, so the access log carries it', async () => {
    const token = signSessionToken(keys, { userId: 'user_logged' });
    const res = await request(harness.app).get('/private').set(bearer(token)).expect(200);
    const line = harness.log
      .entries()
      .find((e) => e.event === 'request_completed' && e.request_id === res.headers['x-request-id']);
    expect(line).to.include({ user_id: 'user_logged', status_code: 200 });
  });

  it('logs the reason of a refusal at debug, never the token', async () => {
    const token = signSessionToken(keys, {}, { expiresIn: -60 });
    const res = await request(harness.app).get('/private').set(bearer(token)).expect(401);
    const line = harness.log
      .entries()
      .find((e) => e.event === 'auth_rejected' && e.request_id === res.headers['x-request-id']);
    expect(line).to.include({ level: 'debug', code: 'AUTH_EXPIRED_TOKEN', reason: 'token-expired', carrier: 'header' });
    expect(harness.log.text()).not.to.include(token.split('.')[2]);
  });

  describe('requireRole', () => {
    it('lets a caller with the role through (v2 "admin" is org:admin)', async () => {
      await request(harness.app)
        .get('/admin')
        .set(bearer(signSessionToken(keys, { orgId: 'org_1', orgRole: 'admin' })))
        .expect(200, { ok: true });
    });

    it('lets a v1 caller with the role through', async () => {
      await request(harness.app)
        .get('/admin')
        .set(bearer(signSessionToken(keys, { orgId: 'org_1', orgRole: 'org:admin' }, { version: 1 })))
        .expect(200);
    });

    it('answers 403 FORBIDDEN without the role', async () => {
      const res = await request(harness.app)
        .get('/admin')
        .set(bearer(signSessionToken(keys, { orgId: 'org_1', orgRole: 'member' })))
        .expect(403);
      expect(res.body).to.deep.equal({
        error: 'FORBIDDEN',
        code: 'FORBIDDEN',
        message: 'You do not have permission to do this.',
        request_id: res.headers['x-request-id'],
      });
    });

    it('answers 403 to a caller without an organization', async () => {
      await request(harness.app)
        .get('/admin')
        .set(bearer(signSessionToken(keys)))
        .expect(403);
    });

    it('authenticates by itself: 401 without a token, not 403', async () => {
      const res = await request(harness.app).get('/admin').expect(401);
      expect(res.body.code).to.equal('AUTH_MISSING_TOKEN');
      const expired = await request(harness.app)
        .get('/admin')
        .set(bearer(signSessionToken(keys, { orgId: 'o', orgRole: 'admin' }, { expiresIn: -60 })))
        .expect(401);
      expect(expired.body.code).to.equal('AUTH_EXPIRED_TOKEN');
    });

    it('accepts any of several roles, with or without the org: prefix', async () => {
      await request(harness.app)
        .get('/staff')
        .set(bearer(signSessionToken(keys, { orgId: 'o', orgRole: 'editor' })))
        .expect(200);
      await request(harness.app)
        .get('/staff')
        .set(bearer(signSessionToken(keys, { orgId: 'o', orgRole: 'org:admin' }, { version: 1 })))
        .expect(200);
      await request(harness.app)
        .get('/staff')
        .set(bearer(signSessionToken(keys, { orgId: 'o', orgRole: 'viewer' })))
        .expect(403);
    });

    it('refuses to be built without a role', () => {
      expect(() => harness.auth.requireRole()).to.throw(TypeError, /at least one/);
      expect(() => harness.auth.requireRole(' ')).to.throw(TypeError);
    });
  });

  it('checks no azp when no authorized parties are configured', async () => {
    const open = authHarness({ ENVIRONMENT: 'staging', CLERK_JWT_KEY: keys.publicKeyPem });
    await request(open.app)
      .get('/private')
      .set(bearer(signSessionToken(keys, { authorizedParty: 'https://any.example' })))
      .expect(200);
    await request(open.app)
      .get('/private')
      .set(bearer(signSessionToken(keys, {}, { omitClaims: ['azp'] })))
      .expect(200);
  });
});

function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function withHeader(token: string, change: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const next = {
    ...(JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>),
    ...change,
  };
  return `${Buffer.from(JSON.stringify(next)).toString('base64url')}.${payload}.${signature}`;
}
