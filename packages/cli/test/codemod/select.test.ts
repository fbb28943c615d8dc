import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { MIGRATIONS } from '../../migrations/manifest.js';
import { selectMigrations } from '../../src/codemod/select.js';

describe('selectMigrations', () => {
  it('takes the migrations in (from, to], prereleases included as semver orders them', () => {
    expect(selectMigrations(MIGRATIONS, '0.1.0', '0.2.0').map((m) => m.id)).to.deep.equal(['route-declaration']);
    expect(selectMigrations(MIGRATIONS, '0.1.0-baseline.911d0ca', '0.2.0').map((m) => m.id)).to.deep.equal([
      'route-declaration',
    ]);
    expect(selectMigrations(MIGRATIONS, '0.2.0', '0.2.5')).to.deep.equal([]);
    expect(selectMigrations(MIGRATIONS, undefined, '0.2.0').map((m) => m.id)).to.deep.equal(['route-declaration']);
    expect(selectMigrations(MIGRATIONS, '0.1.0', '0.1.9')).to.deep.equal([]);
    // Across to 1.0 from 0.1.x: the 0.2.0 migration first, then 1.0.0's.
    expect(selectMigrations(MIGRATIONS, '0.1.0', '1.0.0').map((m) => m.id)).to.deep.equal([
      'route-declaration',
      'subpath-imports',
      'app-lifecycle',
      'error-registries',
    ]);
    // From 0.2.x too, route-declaration runs first: the service may still use what 0.2.0 deprecated, which 1.0.0 removed.
    expect(selectMigrations(MIGRATIONS, '0.2.0', '1.0.0').map((m) => m.id)).to.deep.equal([
      'route-declaration',
      'subpath-imports',
      'app-lifecycle',
      'error-registries',
    ]);
    expect(selectMigrations(MIGRATIONS, '0.2.3', '1.0.0').map((m) => m.id)).to.deep.equal([
      'route-declaration',
      'subpath-imports',
      'app-lifecycle',
      'error-registries',
    ]);
    expect(selectMigrations(MIGRATIONS, '1.0.0', '1.0.4')).to.deep.equal([]);
    expect(() => selectMigrations(MIGRATIONS, '0.3.0', '0.2.0')).to.throw('--from 0.3.0 is after --to 0.2.0');
    expect(() => selectMigrations(MIGRATIONS, 'soon', '0.2.0')).to.throw('--from must be a version');
  });
});

describe('the manifest', () => {
  const upgrading = readFileSync(new URL('../../../platform/UPGRADING.md', import.meta.url), 'utf8');
  const codes = [...new Set(upgrading.match(/ORG_PLATFORM_DEP\d{3}/g) ?? [])];

  it('has unique ids, valid versions, and an implementation that loads', async () => {
    expect(new Set(MIGRATIONS.map((m) => m.id)).size).to.equal(MIGRATIONS.length);
    for (const migration of MIGRATIONS) {
      expect(semver.valid(migration.version), migration.id).to.not.equal(null);
      expect(typeof (await migration.implementation()).migrateProject).to.equal('function');
    }
  });

  it('migrates every deprecation UPGRADING.md lists: a deprecation ships with its codemod', () => {
    expect(codes).to.not.deep.equal([]);
    const migrated = new Set(MIGRATIONS.flatMap((m) => m.deprecations));
    for (const code of codes)
      expect(migrated.has(code), `${code} has no migration in migrations/manifest.ts`).to.equal(true);
  });
});

describe('lockstep with the platform', () => {
  it('has the version of @org/platform (one changesets fixed group)', async () => {
    const cli = (await import('../../package.json', { with: { type: 'json' } })).default;
    const platform = (await import('../../../platform/package.json', { with: { type: 'json' } })).default;
    const changesets = JSON.parse(
      readFileSync(new URL('../../../../.changeset/config.json', import.meta.url), 'utf8'),
    ) as { fixed: string[][] };
    expect(cli.version).to.equal(platform.version);
    expect(changesets.fixed).to.deep.include(['@org/platform', '@org/platform-cli']);
  });

  it('keeps its own dependencies out of @org/platform, which every service ships in production', async () => {
    const cli = (await import('../../package.json', { with: { type: 'json' } })).default;
    const platform = (await import('../../../platform/package.json', { with: { type: 'json' } })).default;
    const shipped = Object.keys(platform.dependencies);
    for (const dependency of [
      ...Object.keys(cli.dependencies).filter((name) => name !== '@org/platform'),
      'typescript',
      '@ts-morph/common',
    ]) {
      expect(shipped, dependency).to.not.include(dependency);
    }
  });
});
