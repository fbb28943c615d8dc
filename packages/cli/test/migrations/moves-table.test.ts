import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { INTERNAL, MOVED } from '../../src/release/moves-1.0.js';

// The platform's API reports (etc/<report>.api.md, one per entry point): what 1.0 really exports.
const ETC = new URL('../../../platform/etc/', import.meta.url);

// `@org/platform` → platform.api.md, `@org/platform/http` → platform-http.api.md (as etc/ names the /testing report).
function reportOf(entry: string): URL {
  return new URL(
    `${entry === '@org/platform' ? 'platform' : `platform-${entry.slice('@org/platform/'.length)}`}.api.md`,
    ETC,
  );
}

function exportedNames(report: URL): Set<string> {
  const text = readFileSync(report, 'utf8');
  const names = [
    ...text.matchAll(
      /^export (?:declare )?(?:abstract )?(?:function|const|let|var|interface|type|class|enum|namespace) (\w+)/gm,
    ),
  ].map((m) => m[1]!);
  for (const m of text.matchAll(/^export \{([^}]+)\}/gm))
    names.push(
      ...m[1]!.split(',').map((part) =>
        part
          .trim()
          .split(/\s+as\s+/)
          .at(-1)!,
      ),
    );
  return new Set(names);
}

describe("the 1.0.0 migrations' table (src/release/moves-1.0.ts) and the platform's API reports", () => {
  const reports = new Map<string, Set<string>>();
  const namesOf = (entry: string) => {
    if (!reports.has(entry)) {
      const report = reportOf(entry);
      expect(
        existsSync(report),
        `${entry} has no API report (${report.pathname}): is it an entry point of @org/platform?`,
      ).to.equal(true);
      reports.set(entry, exportedNames(report));
    }
    return reports.get(entry)!;
  };

  it("has each moved name in its target's report, and no longer in the report of where it came from", () => {
    const wrong = MOVED.flatMap((move) => [
      ...(namesOf(move.to).has(move.name) ? [] : [`${move.name}: not exported by ${move.to}`]),
      ...(namesOf(move.from).has(move.name) ? [`${move.name}: still exported by ${move.from}`] : []),
    ]);
    expect(wrong).to.deep.equal([]);
  });

  it('has each internal name in no report', () => {
    const entries = [...new Set([...MOVED.flatMap((m) => [m.from, m.to]), ...INTERNAL.map((i) => i.from)])];
    const wrong = INTERNAL.flatMap((name) =>
      entries
        .filter((entry) => namesOf(entry).has(name.name))
        .map((entry) => `${name.name}: still exported by ${entry}`),
    );
    expect(wrong).to.deep.equal([]);
  });

  it('names each name once', () => {
    const keys = [...MOVED, ...INTERNAL].map((entry) => `${entry.from} ${entry.name}`);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).to.deep.equal([]);
  });
});
