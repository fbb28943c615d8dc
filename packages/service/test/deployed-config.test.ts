import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalSessionToken, ensureLocalSigningKey } from '@org/platform/auth';
import { createTestKeyPair, signSessionToken, type TestKeyPair } from '@org/platform/testing';
import { LOCAL_AUTH_DIR } from '../src/local-data.js';
import { DATABASE_TARGETS, serverTestUrl } from './fixtures/databases.js';
import { runBareService, type BareServiceRun } from './fixtures/service-process.js';

const ISSUER = 'https://clerk.entities.example';
const PARTY = 'https://app.example.com';

/** The addresses a TCP port listens on, read from the kernel (Linux /proc/net/tcp). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[3] === '0A' && cols[1]?.endsWith(`:${hexPort}`))
    .map((cols) =>
      cols[1]!
        .split(':')[0]!
        .match(/../g)!
        .reverse()
        .map((byte) => parseInt(byte, 16))
        .join('.'),
    );
}

async function stop(run: BareServiceRun): Promise<void> {
  if (run.child.exitCode === null && run.child.signalCode === null) {
    run.child.kill('SIGTERM');
    await run.exited;
  }
}

describe('the service as deployed: fail closed, secrets from files, the issuer checked (real processes)', function () {
  // Each case starts the built service; PGlite takes seconds on a busy machine.
  this.timeout(60_000);
  let dir: string;
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'entities-deployed-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('started with only ENVIRONMENT=production, exits 1 at once with one report naming the database and Clerk variables', async () => {
    const run = runBareService(dir, { ENVIRONMENT: 'production' });
    const started = Date.now();
    expect(await run.exited).to.equal(1);
    expect(Date.now() - started).to.be.below(15_000);
    const output = run.output();
    expect(output.match(/Invalid configuration/g), output).to.have.length(1);
    expect(output).to.contain('Invalid configuration (3 problems)');
    expect(output).to.match(/- DATABASE_URL: production needs SUPABASE_URL \+ SUPABASE_SERVICE_KEY or DATABASE_URL/);
    expect(output).to.match(/- CLERK_JWT_KEY: is required outside local unless CLERK_SECRET_KEY is set/);
    expect(output).to.match(/- CLERK_AUTHORIZED_PARTIES: is required in production/);
    expect(run.events.map((e) => e.event)).not.to.include('server_listening');
  });

  it('reports half a Supabase configuration in the same report as everything else', async () => {
    const run = runBareService(dir, {
      ENVIRONMENT: 'production',
      SUPABASE_URL: 'https://abc.supabase.co',
      PORT: 'eighty',
    });
    expect(await run.exited).to.equal(1);
    const output = run.output();
    expect(output).to.contain('Invalid configuration (4 problems)');
    for (const variable of ['PORT', 'CLERK_JWT_KEY', 'CLERK_AUTHORIZED_PARTIES', 'SUPABASE_SERVICE_KEY'])
      expect(output).to.contain(`- ${variable}: `);
  });

  describe('in production with its secrets as files', () => {
    let keys: TestKeyPair;
    before(function () {
      if (!DATABASE_TARGETS.includes('postgres')) this.skip(); // needs the PostgreSQL server (DATABASE_URL)
      keys = createTestKeyPair();
    });

    it('reads DATABASE_URL_FILE and CLERK_JWT_KEY_FILE, never shows their content, and refuses tokens of another issuer', async () => {
      // A password the trust-auth test server ignores: it must appear in no log and no environment.
      const url = new URL(serverTestUrl());
      url.username = 'postgres';
      url.password = 'file-only-password-93c1';
      const run = runBareService(dir, {
        ENVIRONMENT: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        SHUTDOWN_DELAY_MS: '0',
        DATABASE_URL_FILE: file('database_url', `${url.href}\n`),
        CLERK_JWT_KEY_FILE: file('clerk_jwt_key.pem', keys.publicKeyPem),
        CLERK_AUTHORIZED_PARTIES: PARTY,
        CLERK_ISSUER: ISSUER,
      });
      try {
        const base = await run.ready;
        expect(run.events.find((e) => e.event === 'auth_configured')).to.include({ mode: 'jwt-key', issuer: ISSUER });
        expect(run.events.find((e) => e.event === 'entity_store_opened')).to.include({ store: 'postgres' });
        expect(readFileSync(`/proc/${run.child.pid}/environ`, 'utf8')).not.to.contain('file-only-password');

        const post = (token: string) =>
          fetch(`${base}/api/v1/entities`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ title: 'from a file-configured service' }),
          });
        const right = await post(
          signSessionToken(keys, { userId: 'user_files', authorizedParty: PARTY, issuer: ISSUER }),
        );
        expect(right.status).to.equal(201);
        const created = (await right.json()) as { id: string };
        for (const token of [
          signSessionToken(keys, {
            userId: 'user_files',
            authorizedParty: PARTY,
            issuer: 'https://clerk.another-instance.example',
          }),
          signSessionToken(keys, { userId: 'user_files', authorizedParty: PARTY }, { omitClaims: ['iss'] }),
        ]) {
          const refused = await post(token);
          expect(refused.status).to.equal(401);
          expect(((await refused.json()) as { code: string }).code).to.equal('AUTH_INVALID_TOKEN');
        }
        const removed = await fetch(`${base}/api/v1/entities/${created.id}`, {
          method: 'DELETE',
          headers: {
            Authorization: `Bearer ${signSessionToken(keys, { userId: 'user_files', authorizedParty: PARTY, issuer: ISSUER })}`,
          },
        });
        expect(removed.status).to.equal(204);
      } finally {
        await stop(run);
      }
      expect(run.output()).not.to.contain('file-only-password').and.not.to.contain(keys.publicKeyPem.split('\n')[1]!);
    });

    it('refuses a missing file and both forms set, naming the variable and the path, never the content', async () => {
      const missing = join(dir, 'no-such-secret');
      const secret = file('database_url', 'postgres://app:both-forms-secret-55@db.internal:5432/app\n');
      const run = runBareService(dir, {
        ENVIRONMENT: 'production',
        CLERK_AUTHORIZED_PARTIES: PARTY,
        CLERK_JWT_KEY_FILE: missing,
        DATABASE_URL: 'postgres://app:direct-secret-66@db.internal:5432/app',
        DATABASE_URL_FILE: secret,
      });
      expect(await run.exited).to.equal(1);
      const output = run.output();
      expect(output).to.contain('Invalid configuration (2 problems)');
      expect(output).to.contain(`- CLERK_JWT_KEY_FILE: cannot read "${missing}": no such file`);
      expect(output).to.contain(
        `- DATABASE_URL: is set both directly and as DATABASE_URL_FILE="${secret}"; set only one`,
      );
      expect(output).not.to.contain('both-forms-secret').and.not.to.contain('direct-secret');
    });
  });

  describe('in local mode', () => {
    it('listens on loopback only when HOST is not set, and accepts only its own issuer', async () => {
      const run = runBareService(dir, {
        ENVIRONMENT: 'local',
        PORT: '0',
        LOG_FORMAT: 'json',
        PGLITE_DIR: join(dir, 'pglite'),
      });
      try {
        const base = await run.ready;
        const port = Number(new URL(base).port);
        expect(listeningAddresses(port)).to.deep.equal(['127.0.0.1']);
        expect(run.events.filter((e) => e.event === 'config_warning')).to.deep.equal([]);
        expect(run.events.find((e) => e.event === 'auth_configured')).to.include({
          mode: 'local',
          issuer: 'https://clerk.local',
        });

        const key = ensureLocalSigningKey(LOCAL_AUTH_DIR);
        const list = (token: string) =>
          fetch(`${base}/api/v1/entities`, { headers: { Authorization: `Bearer ${token}` } });
        expect((await list(createLocalSessionToken(key, { userId: 'user_local_iss' }))).status).to.equal(200);
        const sameKey: TestKeyPair = {
          ...createTestKeyPair(),
          kid: key.kid,
          privateKey: key.privateKey,
          publicKeyPem: key.publicKeyPem,
        };
        const foreign = await list(signSessionToken(sameKey, { userId: 'user_local_iss', issuer: ISSUER }));
        expect(foreign.status).to.equal(401);
        expect(((await foreign.json()) as { code: string }).code).to.equal('AUTH_INVALID_TOKEN');
      } finally {
        await stop(run);
      }
    });

    it('logs one warning at start when told to listen beyond loopback', async () => {
      // The port is taken on 127.0.0.1 first, so the service logs its start-up warnings and then
      // fails to bind: it never listens on this machine's network during the test.
      const blocker: Server = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const { port } = blocker.address() as { port: number };
      try {
        const run = runBareService(dir, {
          ENVIRONMENT: 'local',
          HOST: '0.0.0.0',
          PORT: String(port),
          LOG_FORMAT: 'json',
          PGLITE_DIR: join(dir, 'pglite'),
        });
        expect(await run.exited).to.equal(1);
        const warnings = run.events.filter((e) => e.event === 'config_warning');
        expect(warnings).to.have.length(1);
        expect(warnings[0]!.warning).to.match(
          /^local mode listens on 0\.0\.0\.0, beyond this machine: its generated signing key, embedded store \(where the service has one\) and \/docs are reachable from the network/,
        );
      } finally {
        await new Promise<void>((resolve) => blocker.close(() => resolve()));
      }
    });
  });
});
