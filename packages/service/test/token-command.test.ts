import { expect } from 'chai';
import type { Express } from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createAuth, createLogger, createServiceApp, getPrincipal, loadConfig } from '@org/platform';
import { runTokenCommand, type TokenCommandIo } from '../src/token-command.js';

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return {
    stream: new Writable({ write: (chunk: Buffer, _e, cb) => (chunks.push(chunk.toString()), cb()) }),
    text: () => chunks.join(''),
  };
}

function run(io: Partial<TokenCommandIo> & Pick<TokenCommandIo, 'keyDir'>): { code: number; out: string; err: string } {
  const out = sink();
  const err = sink();
  const code = runTokenCommand({
    argv: [],
    env: {},
    envFile: false,
    version: '0.1.0',
    stdout: out.stream,
    stderr: err.stream,
    ...io,
  });
  return { code, out: out.text(), err: err.text() };
}

/** The service's local auth, as main.ts builds it, behind one route that echoes the principal. */
function localApp(keyDir: string, env: Record<string, string> = {}): Express {
  const config = loadConfig({ env, envFile: false });
  const logger = createLogger({ service: 'test', version: '0', environment: 'local', stream: sink().stream });
  const auth = createAuth({ config, logger, localKeyDir: keyDir });
  return createServiceApp({
    config,
    logger,
    routes: (app: Express) => {
      app.get('/me', auth.requireAuth(), (req, res) => {
        const { claims: _claims, ...principal } = getPrincipal(req);
        res.json(principal);
      });
    },
  });
}

describe('runTokenCommand (npm run token)', () => {
  let keyDir: string;
  beforeEach(() => {
    keyDir = mkdtempSync(join(tmpdir(), 'service-token-'));
  });
  afterEach(() => rmSync(keyDir, { recursive: true, force: true }));

  it('prints a token that the local-mode service accepts, for the chosen user, org and role', async () => {
    const { code, out, err } = run({
      keyDir,
      argv: ['--user', 'user_alice', '--org', 'org_acme', '--role', 'admin', '--ttl', '10m'],
    });
    expect(code, err).to.equal(0);
    const token = out.trim();
    expect(token.split('.')).to.have.length(3);
    const res = await request(localApp(keyDir)).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).to.deep.include({ userId: 'user_alice', orgId: 'org_acme', roles: ['org:admin'] });
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
      exp: number;
      iat: number;
      iss: string;
    };
    expect(payload.exp - payload.iat).to.equal(600);
    // The local issuer, which local mode checks like Clerk's.
    expect(payload.iss).to.equal('https://clerk.local');
  });

  it('defaults to user_local for one hour, and the key pair is made on first use', async () => {
    const { code, out } = run({ keyDir });
    expect(code).to.equal(0);
    const res = await request(localApp(keyDir)).get('/me').set('Authorization', `Bearer ${out.trim()}`).expect(200);
    expect(res.body).to.deep.include({ userId: 'user_local', orgId: null, roles: [] });
  });

  it('uses the first authorized party as azp, so the token passes the azp check', async () => {
    const env = { CLERK_AUTHORIZED_PARTIES: 'http://localhost:5173,http://localhost:3000' };
    const { out } = run({ keyDir, env });
    await request(localApp(keyDir, env)).get('/me').set('Authorization', `Bearer ${out.trim()}`).expect(200);
  });

  it('refuses when the service would verify with Clerk instead', () => {
    for (const env of [{ ENVIRONMENT: 'staging', CLERK_SECRET_KEY: 'sk_test_x' }, { CLERK_SECRET_KEY: 'sk_test_x' }]) {
      const { code, out, err } = run({ keyDir, env });
      expect(code).to.equal(2);
      expect(out).to.equal('');
      expect(err).to.match(/verifies tokens with Clerk/);
    }
  });

  it('explains bad options and prints usage with --help', () => {
    expect(run({ keyDir, argv: ['--ttl', 'forever'] }).err).to.match(/--ttl must be a duration/);
    expect(run({ keyDir, argv: ['--role', 'admin'] }).err).to.match(/--role needs --org/);
    expect(run({ keyDir, argv: ['--user', 'bad user'] }).err).to.match(/--user must be/);
    expect(run({ keyDir, argv: ['--nope'] })).to.include({ code: 2 });
    const help = run({ keyDir, argv: ['--help'] });
    expect(help.code).to.equal(0);
    expect(help.out).to.include('Usage: npm run -s token --');
  });
});
