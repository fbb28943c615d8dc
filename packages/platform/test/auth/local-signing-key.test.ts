import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { isConfigError } from '../../src/index.js';
import { createLocalSessionToken, ensureLocalSigningKey, LOCAL_SIGNING_KEY_FILE } from '../../src/public/auth.js';
import { signSessionToken } from '../../src/testing/index.js';
import { authHarness, sharedKeyPair } from './fixtures.js';

describe('ensureLocalSigningKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'platform-auth-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates an RSA-2048 key pair once, private key readable by the owner only', () => {
    const first = ensureLocalSigningKey(join(dir, 'auth'));
    expect(first.created).to.equal(true);
    expect(first.path).to.equal(join(dir, 'auth', LOCAL_SIGNING_KEY_FILE));
    expect(statSync(first.path).mode & 0o777).to.equal(0o600);
    expect(first.privateKey.asymmetricKeyDetails?.modulusLength).to.equal(2048);
    const second = ensureLocalSigningKey(join(dir, 'auth'));
    expect(second.created).to.equal(false);
    expect(second.kid).to.equal(first.kid);
    expect(second.publicKeyPem).to.equal(first.publicKeyPem);
  });

  it('refuses a key file that holds no usable private key, saying how to recover', () => {
    writeFileSync(join(dir, LOCAL_SIGNING_KEY_FILE), 'not a key');
    expect(() => ensureLocalSigningKey(dir)).to.throw(/delete it/);
  });
});

describe('createAuth in local mode', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'platform-auth-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the local key pair when ENVIRONMENT=local and no Clerk key is set, through the same SDK path', async () => {
    const { app, auth, log } = authHarness({ ENVIRONMENT: 'local' }, { localKeyDir: dir });
    expect(auth.mode).to.equal('local');
    expect(log.entries().find((e) => e.event === 'auth_configured')).to.include({
      mode: 'local',
      local_key_path: join(dir, LOCAL_SIGNING_KEY_FILE),
    });
    const key = ensureLocalSigningKey(dir);
    const token = createLocalSessionToken(key, { userId: 'user_alice', orgId: 'org_1', role: 'admin' });
    const res = await request(app).get('/private').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).to.deep.include({ userId: 'user_alice', orgId: 'org_1', roles: ['org:admin'] });
    expect(res.body.sessionId).to.match(/^sess_/);
  });

  it('keeps the same key across restarts, so earlier tokens stay valid', async () => {
    const token = createLocalSessionToken(ensureLocalSigningKey(dir), { userId: 'user_bob' });
    const restarted = authHarness({ ENVIRONMENT: 'local' }, { localKeyDir: dir });
    await request(restarted.app).get('/private').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('refuses tokens of any other key, expired local tokens, and v1 local tokens work', async () => {
    const { app } = authHarness({ ENVIRONMENT: 'local' }, { localKeyDir: dir });
    const foreign = signSessionToken(sharedKeyPair('primary'));
    expect(
      (await request(app).get('/private').set('Authorization', `Bearer ${foreign}`).expect(401)).body.code,
    ).to.equal('AUTH_INVALID_TOKEN');
    const expired = createLocalSessionToken(ensureLocalSigningKey(dir), { ttlSeconds: -60 });
    expect(
      (await request(app).get('/private').set('Authorization', `Bearer ${expired}`).expect(401)).body.code,
    ).to.equal('AUTH_EXPIRED_TOKEN');
    const v1 = createLocalSessionToken(ensureLocalSigningKey(dir), {
      userId: 'user_v1',
      orgId: 'org_2',
      role: 'member',
      version: 1,
    });
    expect((await request(app).get('/private').set('Authorization', `Bearer ${v1}`).expect(200)).body).to.deep.include({
      userId: 'user_v1',
      roles: ['org:member'],
    });
  });

  it('prefers a configured Clerk key over the local pair, also in local', () => {
    const keys = sharedKeyPair('primary');
    expect(
      authHarness({ ENVIRONMENT: 'local', CLERK_JWT_KEY: keys.publicKeyPem }, { localKeyDir: dir }).auth.mode,
    ).to.equal('jwt-key');
    expect(
      authHarness({ ENVIRONMENT: 'local', CLERK_SECRET_KEY: 'sk_test_x' }, { localKeyDir: dir }).auth.mode,
    ).to.equal('jwks');
  });

  it('is a config error outside local without a Clerk key, and in local without a key folder', () => {
    for (const ENVIRONMENT of ['staging', 'production'] as const) {
      let caught: unknown;
      try {
        authHarness({ ENVIRONMENT }, { localKeyDir: dir });
      } catch (error) {
        caught = error;
      }
      expect(isConfigError(caught), ENVIRONMENT).to.equal(true);
      expect((caught as Error).message)
        .to.include('CLERK_JWT_KEY')
        .and.include('CLERK_SECRET_KEY');
    }
    expect(() => authHarness({ ENVIRONMENT: 'local' })).to.throw(/localKeyDir/);
  });

  it('never writes the private key into the log', () => {
    const { log } = authHarness({ ENVIRONMENT: 'local' }, { localKeyDir: dir });
    const pem = readFileSync(join(dir, LOCAL_SIGNING_KEY_FILE), 'utf8');
    const body = pem.split('\n')[1]!;
    expect(log.text()).not.to.include(body);
  });
});
