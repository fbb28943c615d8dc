import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { isConfigError, loadConfig } from '../../src/index.js';
import { sharedKeyPair } from '../auth/fixtures.js';

function problems(env: Record<string, string>): readonly { variable: string; message: string }[] {
  try {
    loadConfig({ env, envFile: false });
  } catch (error) {
    if (isConfigError(error)) return error.problems;
    throw error;
  }
  return [];
}

describe('platformConfigFields: Clerk', () => {
  const keys = sharedKeyPair('primary');

  it('needs no Clerk variable in local (the local key pair is used)', () => {
    const config = loadConfig({ env: {}, envFile: false });
    expect(config.CLERK_JWT_KEY).to.equal(undefined);
    expect(config.CLERK_SECRET_KEY).to.equal(undefined);
    expect(config.CLERK_AUTHORIZED_PARTIES).to.deep.equal([]);
    expect(config.CLERK_API_URL).to.equal('https://api.clerk.com');
  });

  it('refuses staging and production without CLERK_JWT_KEY or CLERK_SECRET_KEY', () => {
    expect(problems({ ENVIRONMENT: 'staging' })).to.deep.equal([
      {
        variable: 'CLERK_JWT_KEY',
        message:
          'is required outside local unless CLERK_SECRET_KEY is set (tokens cannot be verified without a Clerk key)',
      },
    ]);
    expect(problems({ ENVIRONMENT: 'staging', CLERK_SECRET_KEY: 'sk_test_abc' })).to.deep.equal([]);
    expect(problems({ ENVIRONMENT: 'staging', CLERK_JWT_KEY: keys.publicKeyPem })).to.deep.equal([]);
  });

  it('requires CLERK_AUTHORIZED_PARTIES in production', () => {
    expect(problems({ ENVIRONMENT: 'production', CLERK_JWT_KEY: keys.publicKeyPem })).to.deep.equal([
      { variable: 'CLERK_AUTHORIZED_PARTIES', message: 'is required in production' },
    ]);
    const config = loadConfig({
      env: {
        ENVIRONMENT: 'production',
        CLERK_JWT_KEY: keys.publicKeyPem,
        CLERK_AUTHORIZED_PARTIES: 'https://app.example.com, https://admin.example.com',
      },
      envFile: false,
    });
    expect(config.CLERK_AUTHORIZED_PARTIES).to.deep.equal(['https://app.example.com', 'https://admin.example.com']);
  });

  it('accepts a PEM with \\n-escaped newlines or on one line, and stores it as a proper PEM', () => {
    for (const raw of [
      keys.publicKeyPem.replace(/\n/g, '\\n'),
      keys.publicKeyPem.replace(/\n/g, ''),
      `  ${keys.publicKeyPem}  `,
    ]) {
      const config = loadConfig({ env: { CLERK_JWT_KEY: raw }, envFile: false });
      expect(config.CLERK_JWT_KEY).to.equal(keys.publicKeyPem);
    }
  });

  it('refuses a CLERK_JWT_KEY that is not an RSA-2048 public key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(problems({ CLERK_JWT_KEY: 'garbage' })[0]).to.include({ variable: 'CLERK_JWT_KEY' });
    expect(problems({ CLERK_JWT_KEY: ec })[0]?.message).to.match(/RSA-2048/);
    const privateKey = problems({ CLERK_JWT_KEY: keys.privateKeyPem });
    expect(privateKey).to.have.length(1);
    expect(privateKey[0]?.message)
      .to.match(/never a private key/)
      .and.not.include(keys.privateKeyPem.slice(40, 80));
  });

  it('refuses a malformed CLERK_SECRET_KEY without printing it', () => {
    const found = problems({ CLERK_SECRET_KEY: 'my-very-secret-value' });
    expect(found).to.deep.equal([
      { variable: 'CLERK_SECRET_KEY', message: 'must be a Clerk secret key (sk_live_... or sk_test_...)' },
    ]);
  });

  it('refuses authorized parties that are not origins, and a plain-http CLERK_API_URL in production', () => {
    expect(problems({ CLERK_AUTHORIZED_PARTIES: 'app.example.com' })[0]?.variable).to.equal('CLERK_AUTHORIZED_PARTIES');
    const found = problems({
      ENVIRONMENT: 'production',
      CLERK_SECRET_KEY: 'sk_live_x',
      CLERK_AUTHORIZED_PARTIES: 'https://a.example',
      CLERK_API_URL: 'http://127.0.0.1:9',
    });
    expect(found).to.deep.equal([{ variable: 'CLERK_API_URL', message: 'must be an https:// URL in production' }]);
  });
});
