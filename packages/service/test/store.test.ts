import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServiceConfig } from '../src/config.js';
import { listMigrations } from '../src/db/index.js';
import { chooseStore, openEntityStore, SERVICE_ROOT } from '../src/store.js';
import { captureLog } from './fixtures/app.js';
import { DATABASE_TARGETS, MIGRATIONS_DIR, serverTestUrl } from './fixtures/databases.js';

function config(env: Record<string, string>) {
  return loadServiceConfig({ version: '0.1.0', env, envFile: false });
}

describe('chooseStore', () => {
  it('picks embedded PGlite under the service’s .data/pglite when nothing is configured', () => {
    expect(chooseStore(config({}))).to.deep.equal({ kind: 'pglite', dataDir: join(SERVICE_ROOT, '.data/pglite') });
    expect(chooseStore(config({ PGLITE_DIR: '/var/lib/entities' }))).to.deep.equal({
      kind: 'pglite',
      dataDir: '/var/lib/entities',
    });
  });

  it('picks the PostgreSQL server when DATABASE_URL is set', () => {
    expect(chooseStore(config({ DATABASE_URL: 'postgres://app@db:5432/app' }))).to.deep.equal({
      kind: 'postgres',
      connectionString: 'postgres://app@db:5432/app',
    });
  });

  it('picks Supabase when SUPABASE_URL and SUPABASE_SERVICE_KEY are set, over DATABASE_URL', () => {
    const choice = chooseStore(
      config({
        SUPABASE_URL: 'https://abc.supabase.co',
        SUPABASE_SERVICE_KEY: 'sk-real-looking-key',
        DATABASE_URL: 'postgres://app@db/app',
      }),
    );
    expect(choice).to.deep.equal({
      kind: 'supabase',
      url: 'https://abc.supabase.co',
      serviceKey: 'sk-real-looking-key',
    });
  });

  it('refuses half a Supabase configuration, naming the missing variable', () => {
    expect(() => chooseStore(config({ SUPABASE_URL: 'https://abc.supabase.co' }))).to.throw(
      /SUPABASE_SERVICE_KEY: is required when SUPABASE_URL is set/,
    );
    expect(() => chooseStore(config({ SUPABASE_SERVICE_KEY: 'sk-real-looking-key' }))).to.throw(
      /SUPABASE_URL: is required when SUPABASE_SERVICE_KEY is set/,
    );
  });

  it('refuses the embedded store in production', () => {
    // The config fields alone (production's other required variables are not this test's subject).
    expect(() =>
      chooseStore({
        ENVIRONMENT: 'production',
        DATABASE_URL: undefined,
        SUPABASE_URL: undefined,
        SUPABASE_SERVICE_KEY: undefined,
        PGLITE_DIR: '.data/pglite',
      }),
    ).to.throw(/embedded PGlite store is for local use only/);
  });

  it('refuses a DATABASE_URL that is not a postgres URL, without echoing it', () => {
    let error: unknown;
    try {
      config({ DATABASE_URL: 'mysql://root:hunter2@db/app' });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain('DATABASE_URL').and.not.to.contain('hunter2');
  });
});

describe('openEntityStore', () => {
  it('keeps PGlite data on disk and applies no migration twice across restarts', async function () {
    this.timeout(60_000);
    const dataDir = mkdtempSync(join(tmpdir(), 'pglite-'));
    try {
      const first = captureLog();
      const store = await openEntityStore({ kind: 'pglite', dataDir }, { logger: first.logger });
      const every = listMigrations(MIGRATIONS_DIR).map((migration) => migration.version);
      expect(every).to.include.members(['20260227000000', '20261128000000']);
      expect(await store.migrate()).to.deep.equal(every);
      const created = await store.repository.create('user_alice', { title: 'kept', description: null });
      await store.close();
      expect(first.text()).to.contain(`"applied":${JSON.stringify(every)}`);

      const second = captureLog();
      const reopened = await openEntityStore({ kind: 'pglite', dataDir }, { logger: second.logger });
      try {
        expect(await reopened.migrate()).to.deep.equal([]);
        expect(second.text()).to.contain('"applied":[]');
        expect(await reopened.repository.get('user_alice', created.entity.id)).to.deep.equal(created);
      } finally {
        await reopened.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  if (DATABASE_TARGETS.includes('postgres')) {
    it('opens the PostgreSQL server store, migrated, and closes it', async () => {
      const log = captureLog();
      const store = await openEntityStore(
        { kind: 'postgres', connectionString: serverTestUrl() },
        { logger: log.logger },
      );
      try {
        expect(await store.migrate()).to.deep.equal([]);
        await store.repository.ping();
        expect(log.text()).to.contain('"applied":[]');
        expect(log.text()).not.to.contain(serverTestUrl());
      } finally {
        await store.close();
      }
    });
  }

  it('makes a Supabase store without any I/O', async () => {
    const store = await openEntityStore(
      { kind: 'supabase', url: 'http://127.0.0.1:1', serviceKey: 'k' },
      { logger: captureLog().logger },
    );
    expect(store.kind).to.equal('supabase');
    expect(await store.migrate()).to.deep.equal([]);
    await store.close();
  });
});
