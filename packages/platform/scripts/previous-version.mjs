// "The previous published version" for the upgrade proof, obtained honestly from git:
//  - the newest release tag (`platform-v1.2.3` or changesets' `@org/platform@1.2.3`) whose version is
//    lower than the current one, built from that commit;
//  - without tags (a clone that did not fetch them, or releases never tagged): the newest commit of
//    this branch where packages/platform/package.json's version changed to a version lower than the
//    current one: the release commit `changeset version` made (0.2.0's, when 1.0.0 is planned);
//  - before the first release there is neither: then the first commit of packages/platform is
//    the previous version. Its package.json carries the same version as today's unreleased tree, so
//    it is published as the prerelease `<current>-baseline.<sha>`, which semver orders before
//    `<current>`: `npm install @org/platform@latest` is then a real upgrade across real changes.
// The old sources are compiled with the workspace's TypeScript and type packages (node_modules are
// linked in); the tarball declares the old package.json's own dependencies, which the consumer installs.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function parse(version) {
  const [core, pre] = version.split('-', 2);
  return { parts: core.split('.').map(Number), pre };
}

/** Semver order of two versions (prerelease before release; prerelease ids compared as text). */
export function compareVersions(a, b) {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i += 1) if (x.parts[i] !== y.parts[i]) return x.parts[i] - y.parts[i];
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

const TAG = /^(?:platform-v|@org\/platform@)(\d+\.\d+\.\d+(?:-[\w.]+)?)$/;

const MANIFEST = 'packages/platform/package.json';

// The version in packages/platform/package.json at a commit; undefined where the file is not.
async function versionAt(sha, { root, sh }) {
  try {
    return JSON.parse(await sh('git', ['show', `${sha}:${MANIFEST}`], { cwd: root })).version;
  } catch {
    return undefined;
  }
}

/** The newest commit of the current branch whose package.json took a version lower than `current`, or undefined. */
export async function releaseCommit({ root, current, sh }) {
  const commits = (await sh('git', ['log', '--format=%H', '--', MANIFEST], { cwd: root }))
    .trim()
    .split('\n')
    .filter((sha) => sha !== '');
  for (const sha of commits) {
    const version = await versionAt(sha, { root, sh });
    if (version === undefined || compareVersions(version, current) >= 0) continue;
    // A change of the file that kept its version (a new dependency) is not a release.
    if ((await versionAt(`${sha}^`, { root, sh })) !== version) return { sha, version };
  }
  return undefined;
}

async function findPrevious({ root, current, sh }) {
  const tags = (await sh('git', ['tag', '--list', 'platform-v*', '@org/platform@*'], { cwd: root }))
    .split('\n')
    .map((t) => t.trim())
    .filter((t) => TAG.test(t));
  const older = tags
    .map((tag) => ({ tag, version: TAG.exec(tag)[1] }))
    .filter((t) => compareVersions(t.version, current) < 0)
    .sort((a, b) => compareVersions(b.version, a.version));
  if (older.length > 0) {
    const sha = (await sh('git', ['rev-list', '-n', '1', older[0].tag], { cwd: root })).trim();
    return { sha, source: `release tag ${older[0].tag} (${sha.slice(0, 7)})` };
  }
  const release = await releaseCommit({ root, current, sh });
  if (release !== undefined)
    return {
      sha: release.sha,
      source: `release commit ${release.sha.slice(0, 7)} (version ${release.version}), no release tag`,
    };
  const added = (
    await sh('git', ['log', '--diff-filter=A', '--format=%H', '--', 'packages/platform/package.json'], { cwd: root })
  )
    .trim()
    .split('\n');
  const sha = added.at(-1);
  if (!sha) throw new Error('no commit adds packages/platform/package.json');
  return { sha, source: `first commit of the platform ${sha.slice(0, 7)}, no release tag yet` };
}

/**
 * Builds and packs the previous version; returns its tarball, version and where it came from.
 * `current` is the version the current tree is published as (the next release, when changesets are pending).
 */
export async function buildPreviousVersion({ root, pkgDir, work, say, sh, current }) {
  const { sha, source } = await findPrevious({ root, current, sh });
  // A commit's build does not change: keep its tarball in .tools/ (gitignored) between runs.
  const cacheDir = join(root, '.tools', 'proof-cache');
  const cached = join(cacheDir, `previous-${sha}-for-${current}.tgz`);
  const cachedVersion = `${cached}.version`;
  if (existsSync(cached) && existsSync(cachedVersion)) {
    say(`previous version: ${source}; tarball cached in .tools/proof-cache`);
    return { tarball: cached, version: readFileSync(cachedVersion, 'utf8').trim(), source };
  }
  say(`previous version: ${source}; building it`);
  const tree = join(work, 'previous-src');
  mkdirSync(tree);
  await sh('sh', ['-c', `git archive ${sha} packages/platform tsconfig.base.json | tar -x -C "${tree}"`], {
    cwd: root,
  });
  const prevPkgDir = join(tree, 'packages', 'platform');
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'), 'dir');
  symlinkSync(join(pkgDir, 'node_modules'), join(prevPkgDir, 'node_modules'), 'dir');
  await sh(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.build.json'], {
    cwd: prevPkgDir,
  });
  const manifestPath = join(prevPkgDir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (compareVersions(manifest.version, current) >= 0) manifest.version = `${current}-baseline.${sha.slice(0, 7)}`;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const out = join(work, 'previous-tarball');
  mkdirSync(out);
  await sh('npm', ['pack', '--ignore-scripts', '--pack-destination', out], { cwd: prevPkgDir });
  mkdirSync(cacheDir, { recursive: true });
  copyFileSync(join(out, readdirSync(out)[0]), cached);
  writeFileSync(cachedVersion, `${manifest.version}\n`);
  return { tarball: cached, version: manifest.version, source };
}
