#!/usr/bin/env node
// The public API guard. `check` (in `pnpm run check`, so in the test command) fails when the API
// the built package exports differs from the reports committed in etc/; `update` rewrites them.
// One report per entry point of the exports map, so `@org/platform/testing` is guarded too.
//   pnpm --filter @org/platform run api:update   # after changing exports: commit etc/*.api.md
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const pkgDir = resolve(import.meta.dirname, '..');
const mode = process.argv[2];
if (mode !== 'check' && mode !== 'update') {
  process.stderr.write('usage: api-report.mjs check|update\n');
  process.exit(2);
}

// Every entry point of the exports map (its `types`) → its report, etc/platform[-<subpath>].api.md.
const exportsMap = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).exports;
const ENTRIES = Object.entries(exportsMap)
  .filter(([, target]) => typeof target === 'object')
  .map(([subpath, target]) => ({
    subpath,
    dts: target.types.replace(/^\.\//, ''),
    report: subpath === '.' ? 'platform' : `platform-${subpath.slice(2)}`,
  }));

// The reports must describe the current sources, so build first (incremental, a no-op when fresh).
const tsc = spawnSync('pnpm', ['exec', 'tsc', '-b', 'tsconfig.build.json'], { cwd: pkgDir, stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const temp = join(pkgDir, 'node_modules', '.cache', 'api-extractor');
mkdirSync(join(temp, 'compared'), { recursive: true });
let failed = false;
const fresh = new Map();
for (const entry of ENTRIES) {
  const config = ExtractorConfig.prepare({
    configObjectFullPath: join(pkgDir, 'api-extractor.json'),
    packageJsonFullPath: join(pkgDir, 'package.json'),
    configObject: {
      projectFolder: pkgDir,
      mainEntryPointFilePath: join(pkgDir, entry.dts),
      compiler: { tsconfigFilePath: join(pkgDir, 'tsconfig.build.json') },
      apiReport: {
        enabled: true,
        reportFileName: `${entry.report}.api.md`,
        reportFolder: join(temp, 'compared'),
        reportTempFolder: temp,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // Our JSDoc uses @default and @internal freely; TSDoc strictness is not the point here.
        tsdocMessageReporting: { default: { logLevel: 'none' } },
        extractorMessageReporting: {
          default: { logLevel: 'warning' },
          // Release tags (@public/@beta) are not part of our policy: semver is.
          'ae-missing-release-tag': { logLevel: 'none' },
          // A public signature that names an unexported type is recorded in the report for review.
          'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
          'ae-internal-missing-underscore': { logLevel: 'none' },
          'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
        },
      },
    },
  });
  // The extractor compares with, and writes to, the temp folder only: this script compares with etc/
  // (after noting the types other entry points export) and decides what lands there.
  const result = Extractor.invoke(config, {
    localBuild: true,
    showVerboseMessages: false,
    // Its advice about copying reports concerns the temp folder: this script reports on etc/ below.
    messageCallback: (message) => {
      if (message.messageId.startsWith('console-api-report')) message.handled = true;
    },
  });
  if (!result.succeeded && !result.apiReportChanged && result.errorCount > 0) {
    process.stderr.write(
      `\n✖ API Extractor failed on ${entry.dts} (${result.errorCount} errors, ${result.warningCount} warnings)\n`,
    );
    failed = true;
  }
  fresh.set(entry, normalize(readFileSync(join(temp, `${entry.report}.api.md`), 'utf8')));
}
const exportedBy = exporters(fresh);
for (const [entry, text] of fresh) {
  const report = crossEntryNotes(text, entry, exportedBy);
  const committedPath = join(pkgDir, 'etc', `${entry.report}.api.md`);
  const committed = existsSync(committedPath) ? normalize(readFileSync(committedPath, 'utf8')) : undefined;
  const changed = report !== committed;
  if (mode === 'update' && changed) writeFileSync(committedPath, report);
  if (mode === 'check' && changed) {
    process.stderr.write(
      `\n✖ etc/${entry.report}.api.md is out of date: the exported API of ${entry.dts} changed.\n` +
        '  Review the change, add a changeset (pnpm changeset), then run: pnpm --filter @org/platform run api:update\n',
    );
    failed = true;
  } else {
    process.stdout.write(`✔ etc/${entry.report}.api.md ${mode === 'update' ? 'written' : 'matches the build'}\n`);
  }
}
rmSync(temp, { recursive: true, force: true });
process.exit(failed ? 1 : 0);

/** Which entry points export each name, read from the reports themselves. */
function exporters(reports) {
  const byName = new Map();
  for (const [entry, text] of reports) {
    for (const [, name] of text.matchAll(
      /^export (?:declare )?(?:abstract )?(?:function|const|class|interface|type|enum|namespace) (\w+)/gm,
    )) {
      byName.set(name, [...(byName.get(name) ?? []), entry]);
    }
  }
  return byName;
}

/**
 * API Extractor reads one entry point at a time, so a signature that names a type another entry
 * point of the package exports (the root's `Logger` in `/http`) is reported as a forgotten export.
 * It is not forgotten: say where it is exported instead. A type no entry exports keeps its warning.
 */
function crossEntryNotes(report, entry, exportedBy) {
  return report.replace(
    /^(\s*)\/\/ Warning: \(ae-forgotten-export\) The symbol "(\w+)" needs to be exported by the entry point [^\n]*$/gm,
    (line, indent, name) => {
      const elsewhere = (exportedBy.get(name) ?? []).filter((other) => other !== entry);
      if (elsewhere.length === 0) return line;
      return `${indent}// ${name}: exported by ${elsewhere.map((other) => (other.subpath === '.' ? '@org/platform' : `@org/platform/${other.subpath.slice(2)}`)).join(', ')}`;
    },
  );
}

/**
 * TypeScript prints the members of a union of string literals in the order it happened to create
 * them, which differs between a clean and an incremental build. Sorting them makes the report a
 * function of the API alone, so the check never fails on a build-order accident.
 */
function normalize(report) {
  return report.replace(/"[^"\n]*"(?: \| "[^"\n]*")+/g, (union) => union.split(' | ').sort().join(' | '));
}
