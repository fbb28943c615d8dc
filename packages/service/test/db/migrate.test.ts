import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, listMigrations } from '../../src/db/index.js';
import { BOOTSTRAP_FILE, DATABASE_TARGETS, MIGRATIONS_DIR, testDatabase } from '../fixtures/databases.js';

describe('listMigrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the files in version order', () => {
    writeFileSync(join(dir, '20260301000000_second.sql'), '');
    writeFileSync(join(dir, '20260201000000_first.sql'), '');
    writeFileSync(join(dir, 'README.md'), '');
    expect(listMigrations(dir).map((m) => `${m.version} ${m.name}`)).to.deep.equal([
      '20260201000000 first',
      '20260301000000 second',
    ]);
  });

  it('refuses a .sql file that is not named like a Supabase CLI migration', () => {
    writeFileSync(join(dir, '001_entities.sql'), '');
    expect(() => listMigrations(dir)).to.throw(/001_entities\.sql is not named/);
  });

  it('finds the repository’s entities migration', () => {
    expect(listMigrations(MIGRATIONS_DIR).map((m) => m.name)).to.include('create_entities');
  });
});

for (const target of DATABASE_TARGETS) {
  describe(`applyMigrations on ${target}`, () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    });
    afterEach(async () => {
      rmSync(dir, { recursive: true, force: true });
      const { db } = testDatabase(target);
      await db.exec(
        "drop table if exists public.migration_probe; delete from supabase_migrations.schema_migrations where version like '2099%'",
      );
    });

    it('applies nothing again on a restart (the entities migration is recorded)', async () => {
      const { db } = testDatabase(target);
      expect(await applyMigrations(db, { migrationsDir: MIGRATIONS_DIR, bootstrapFile: BOOTSTRAP_FILE })).to.deep.equal(
        [],
      );
      const rows = await db.query<{ version: string; name: string }>(
        'select version, name from supabase_migrations.schema_migrations order by version',
      );
      expect(rows).to.deep.include({ version: '20260227000000', name: 'create_entities' });
    });

    it('applies new files in order, records them, and rolls back all of a failing run', async () => {
      const { db } = testDatabase(target);
      writeFileSync(join(dir, '20990101000000_create_probe.sql'), 'create table public.migration_probe (step int);');
      writeFileSync(join(dir, '20990102000000_fill_probe.sql'), 'insert into public.migration_probe values (2);');
      expect(await applyMigrations(db, { migrationsDir: dir })).to.deep.equal(['20990101000000', '20990102000000']);
      expect(await db.query('select step from public.migration_probe')).to.deep.equal([{ step: 2 }]);
      expect(await applyMigrations(db, { migrationsDir: dir })).to.deep.equal([]);

      writeFileSync(join(dir, '20990103000000_good.sql'), 'insert into public.migration_probe values (3);');
      writeFileSync(join(dir, '20990104000000_broken.sql'), 'select from nowhere_at_all;');
      let failure: unknown;
      await applyMigrations(db, { migrationsDir: dir }).catch((error: unknown) => {
        failure = error;
      });
      expect(failure).to.be.instanceOf(Error);
      expect(await db.query('select step from public.migration_probe order by step')).to.deep.equal([{ step: 2 }]);
      const recorded = await db.query<{ version: string }>(
        "select version from supabase_migrations.schema_migrations where version like '2099%' order by version",
      );
      expect(recorded.map((r) => r.version)).to.deep.equal(['20990101000000', '20990102000000']);
    });

    it('runs the bootstrap again without harm (it is idempotent)', async () => {
      const { db } = testDatabase(target);
      await applyMigrations(db, { migrationsDir: dir, bootstrapFile: BOOTSTRAP_FILE });
      await applyMigrations(db, { migrationsDir: dir, bootstrapFile: BOOTSTRAP_FILE });
      const roles = await db.query<{ rolname: string; rolbypassrls: boolean }>(
        "select rolname, rolbypassrls from pg_roles where rolname in ('anon', 'authenticated', 'service_role') order by rolname",
      );
      expect(roles).to.deep.equal([
        { rolname: 'anon', rolbypassrls: false },
        { rolname: 'authenticated', rolbypassrls: false },
        { rolname: 'service_role', rolbypassrls: true },
      ]);
    });
  });
}
