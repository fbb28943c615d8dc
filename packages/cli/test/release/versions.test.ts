import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
// The registry is internal to the platform (not exported): read from its build, as the CLI's tests read the platform.
import { DEPRECATIONS } from '../../../platform/dist/deprecation/index.js';
import { MIGRATIONS } from '../../migrations/manifest.js';
import { migrationTarget } from '../../src/codemod/select.js';
import { releasedPlatformVersion } from '../../src/release/version.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const platform = JSON.parse(readFileSync(join(root, 'packages/platform/package.json'), 'utf8')) as { version: string };

// The version the pending changesets give @org/platform (`changeset status`); today's version when none are pending.
function plannedVersion(): string {
  const work = mkdtempSync(join(tmpdir(), 'release-plan-'));
  try {
    const output = join(work, 'plan.json');
    const status = spawnSync(join(root, 'node_modules/.bin/changeset'), ['status', '--output', output], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(status.status, `${status.stdout}${status.stderr}`).to.equal(0);
    const plan = JSON.parse(readFileSync(output, 'utf8')) as { releases: { name: string; newVersion: string }[] };
    return plan.releases.find((release) => release.name === '@org/platform')?.newVersion ?? platform.version;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

describe('versions of a deprecation', function () {
  this.timeout(30_000);
  const planned = plannedVersion();

  it('agree: the registry\'s "since", UPGRADING.md\'s table and the migration manifest name the release that deprecates, which the pending changesets plan or which is out', () => {
    const upgrading = readFileSync(join(root, 'packages/platform/UPGRADING.md'), 'utf8');
    for (const [code, { since }] of Object.entries(DEPRECATIONS)) {
      expect(semver.valid(since), code).to.equal(since);
      // Released already, or exactly the release the pending changesets will cut: never a later one.
      if (semver.gt(since, platform.version))
        expect(since, `${code} is deprecated since ${since}, but the next release is ${planned}`).to.equal(planned);
      expect(upgrading, code).to.include(`| \`${code}\` | ${since} |`);
      const migrations = MIGRATIONS.filter((m) => m.deprecations.includes(code));
      expect(
        migrations.map((m) => m.version),
        code,
      ).to.deep.equal([since]);
    }
    // Codes whose APIs a major removed are no longer in the registry: the manifest and UPGRADING.md keep their history.
    for (const migration of MIGRATIONS)
      for (const code of migration.deprecations)
        expect(upgrading, code).to.include(`| \`${code}\` | ${migration.version} |`);
    for (const migration of MIGRATIONS)
      expect(
        semver.lte(migration.version, planned),
        `${migration.id} is for ${migration.version}, after the next release ${planned}`,
      ).to.equal(true);
  });

  it("and `migrate` without --to runs every migration up to the CLI's own release", () => {
    const target = migrationTarget(MIGRATIONS, releasedPlatformVersion());
    expect([platform.version, planned]).to.include(target);
    expect(MIGRATIONS.every((m) => semver.lte(m.version, target))).to.equal(true);
  });
});
