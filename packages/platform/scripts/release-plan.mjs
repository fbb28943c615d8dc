// What the proof publishes: the current trees of @org/platform and @org/platform-cli under the
// versions the pending changesets will give them (`changeset status`), so that migrations declared
// for the coming release are crossed by the upgrade, exactly as they will be once it is published.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The next version of each package, from the changesets in .changeset/ (unchanged when none are pending). */
export async function plannedVersions({ root, work, sh }) {
  const output = join(work, 'release-plan.json');
  await sh('pnpm', ['changeset', 'status', '--output', output], { cwd: root });
  const plan = JSON.parse(readFileSync(output, 'utf8'));
  // With nothing pending (right after a release) the plan is empty: each package keeps its own version.
  const own = ['platform', 'cli'].map((dir) =>
    JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
  );
  return {
    ...Object.fromEntries(own.map((manifest) => [manifest.name, manifest.version])),
    ...Object.fromEntries(plan.releases.map((release) => [release.name, release.newVersion])),
  };
}

/**
 * Packs a workspace package (pnpm pack: `workspace:` ranges become versions) and unpacks it with
 * its version and its @org dependencies set to the planned ones; returns the folder to publish.
 */
export async function packAs({ pkgDir, work, sh, versions }) {
  const name = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).name;
  const out = join(work, 'packed', name.replace('/', '+'));
  mkdirSync(out, { recursive: true });
  await sh('pnpm', ['pack', '--pack-destination', out], { cwd: pkgDir });
  await sh('tar', [
    '-xzf',
    join(
      out,
      readdirSync(out).find((file) => file.endsWith('.tgz')),
    ),
    '-C',
    out,
  ]);
  const dir = join(out, 'package');
  const manifestPath = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.version = versions[name];
  for (const dep of Object.keys(manifest.dependencies ?? {}))
    if (versions[dep] !== undefined) manifest.dependencies[dep] = versions[dep];
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, name, version: manifest.version };
}
