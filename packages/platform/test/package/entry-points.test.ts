import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// These run the built package (dist/) through its exports map, as a consumer would load it.
const run = promisify(execFile);
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  exports: Record<string, unknown>;
};
// Every entry point of the exports map, as a service imports it.
const entryPoints = Object.keys(pkg.exports)
  .filter((subpath) => subpath !== './package.json')
  .map((subpath) => (subpath === '.' ? '@org/platform' : `@org/platform/${subpath.slice(2)}`));
// The store's contract: types only, so its module has no runtime exports.
const TYPES_ONLY = new Set(['@org/platform/idempotency']);

interface ProbeResult {
  loaded: { specifier: string; exports: number }[];
  calls: string[];
  moduleReads: number;
  before: { resources: string[]; listeners: Record<string, number> };
  after: { resources: string[]; listeners: Record<string, number> };
}

async function probe(...specifiers: string[]): Promise<ProbeResult> {
  // A 10 s limit: an import that started a server or an interval would keep the child alive.
  // Without c8's coverage and the runner's NODE_OPTIONS: the child loads the package as a service would.
  const { NODE_V8_COVERAGE: _coverage, NODE_OPTIONS: _options, ...env } = process.env;
  const { stdout } = await run(process.execPath, [fixture('import-probe.mjs'), ...specifiers], {
    timeout: 10_000,
    env,
  });
  return JSON.parse(stdout) as ProbeResult;
}

describe('@org/platform entry points', () => {
  it('does no I/O, schedules nothing and adds no process listeners when any entry point is imported', async () => {
    expect(entryPoints).to.include.members([
      '@org/platform',
      '@org/platform/http',
      '@org/platform/client',
      '@org/platform/testing',
    ]);
    const result = await probe(...entryPoints);
    expect(result.loaded.map((l) => l.specifier)).to.deep.equal(entryPoints);
    expect(result.loaded.filter((l) => !TYPES_ONLY.has(l.specifier) && l.exports === 0)).to.deep.equal([]);
    expect(result.calls).to.deep.equal([]);
    expect(result.after.resources).to.deep.equal(result.before.resources);
    expect(result.after.listeners).to.deep.equal(result.before.listeners);
  });

  it('sees I/O and timers in a module that does them at import (the probe works)', async () => {
    const result = await probe(fixture('does-io.mjs'));
    expect(result.calls).to.include('fs.readFileSync(/proc/self/status)');
    expect(result.calls).to.include('setTimeout(function)');
  });

  it('can be required from a CommonJS service (require(esm), Node >= 20.19)', async () => {
    const { stdout } = await run(process.execPath, [fixture('require.cjs')], { timeout: 10_000 });
    expect(JSON.parse(stdout)).to.deep.equal({
      version: pkg.version,
      createServiceApp: 'function',
      createError: 'function',
      runConformance: 'function',
      code: 'ROUTE_NOT_FOUND',
    });
  });
});
