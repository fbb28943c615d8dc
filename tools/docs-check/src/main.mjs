// `pnpm --filter @org/docs-check run check`: every relative link and every file name written in
// the repository's markdown docs resolves in the repository; the docs packed with @org/platform
// resolve inside its packed tarball, which is all a consuming team has.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { checkDocs } from './check.mjs';
import { scopeOf } from './resolve.mjs';

const root = resolve(import.meta.dirname, '..', '..', '..');
// Files of the reader's own repository that the docs tell it to build, run, write or point a
// command at (a Backstage catalog, its lockfile): they exist there, never here.
const CONSUMER_FILES = new Set(['dist/main.js', 'dist/instrument.js', 'catalog-info.yaml', 'package-lock.json']);
const started = Date.now();

// The repository as a fresh clone has it, plus files not committed yet (never ignored ones).
const repoFiles = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\0')
  .filter(Boolean);
const repo = scopeOf(repoFiles);
const packageRootOf = (doc) => {
  for (let dir = posix.dirname(doc); dir !== '.'; dir = posix.dirname(dir))
    if (repo.files.has(`${dir}/package.json`)) return dir;
  return '.';
};
// Release notes are history: they name files as they were.
const repoDocs = repoFiles
  .filter((f) => f.endsWith('.md') && !f.startsWith('.changeset/') && !f.endsWith('CHANGELOG.md'))
  .sort();
// Generated or local files (dist/, .env, .data/) that the docs may name: git ignores them on purpose.
const ignoredByGit = (paths) =>
  spawnSync('git', ['check-ignore', '--no-index', '--', ...paths.map((p) => posix.normalize(p))], { cwd: root })
    .status === 0;
const inRepo = checkDocs({
  scope: repo,
  docs: repoDocs,
  read: (path) => readFileSync(join(root, path), 'utf8'),
  roots: (doc) => [...new Set([packageRootOf(doc), '.'])],
  ignored: (paths) => CONSUMER_FILES.has(posix.normalize(paths[0])) || ignoredByGit(paths),
  where: 'in the repository',
});
console.log(
  `${inRepo.length ? '✖' : '✔'} ${repoDocs.length} markdown docs of the repository: links and file names resolve`,
);
for (const problem of inRepo) console.log(`    ${problem}`);

// The packed @org/platform, as `pnpm publish` would pack it.
const platformDir = join(root, 'packages', 'platform');
const out = mkdtempSync(join(tmpdir(), 'docs-check-pack-'));
let inPackage;
let packedDocs;
try {
  execFileSync('pnpm', ['pack', '--pack-destination', out], {
    cwd: platformDir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = execFileSync('sh', ['-c', 'ls *.tgz'], { cwd: out, encoding: 'utf8' }).trim();
  const entries = execFileSync('tar', ['-xzf', tarball, '-C', out, '--verbose'], { cwd: out, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((e) => e.replace(/^package\//, ''));
  const packed = scopeOf(entries.filter((e) => !e.endsWith('/')));
  packedDocs = [...packed.files].filter((f) => f.endsWith('.md') && !f.endsWith('CHANGELOG.md')).sort();
  inPackage = checkDocs({
    scope: packed,
    docs: packedDocs,
    read: (path) => readFileSync(join(out, 'package', path), 'utf8'),
    roots: () => ['.'],
    ignored: (paths) => CONSUMER_FILES.has(posix.normalize(paths[0])),
    where: `in the packed @org/platform (${tarball})`,
  });
} finally {
  rmSync(out, { recursive: true, force: true });
}
console.log(
  `${inPackage.length ? '✖' : '✔'} ${packedDocs.length} markdown docs packed with @org/platform: links and file names resolve inside the tarball`,
);
for (const problem of inPackage) console.log(`    ${problem}`);

// The layout in docs/architecture.md names each folder of the platform's src/, and only those.
const architecture = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
const layout = /```\n([\s\S]*?packages\/platform\/[\s\S]*?)\npackages\/service\//.exec(architecture)?.[1] ?? '';
const named = new Set([...layout.matchAll(/\bsrc\/([\w-]+)\//g)].map((m) => m[1]));
const actual = new Set(
  repoFiles.filter((f) => /^packages\/platform\/src\/[\w-]+\//.test(f)).map((f) => f.split('/')[3]),
);
const layoutProblems = [
  ...[...named]
    .filter((folder) => !actual.has(folder))
    .map((folder) => `docs/architecture.md: src/${folder}/ is not a folder of packages/platform/src`),
  ...[...actual]
    .filter((folder) => !named.has(folder))
    .map((folder) => `docs/architecture.md: packages/platform/src/${folder}/ is missing from the layout`),
];
console.log(
  `${layoutProblems.length ? '✖' : '✔'} docs/architecture.md: the platform's folders as they are (${[...actual].sort().join(', ')})`,
);
for (const problem of layoutProblems) console.log(`    ${problem}`);

const problems = inRepo.length + inPackage.length + layoutProblems.length;
console.log(
  `\n${problems ? `✖ ${problems} problem(s)` : '✔ docs resolve'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(problems ? 1 : 0);
