import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEPRECATIONS } from '../../src/deprecation/index.js';

const fixture = fileURLToPath(new URL('fixtures/two-copies.ts', import.meta.url));

describe('deprecated', () => {
  it('warns once per process with the stable code and records the code once, shared by two copies of the platform', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fixture], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect(child.status, child.stderr).to.equal(0);
    expect(JSON.parse(child.stdout)).to.deep.equal({
      before: [],
      first: ['ORG_PLATFORM_DEP900'],
      second: ['ORG_PLATFORM_DEP900'],
    });
    const warnings = child.stderr.split('\n').filter((line) => line.includes('DeprecationWarning'));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('[ORG_PLATFORM_DEP900] DeprecationWarning: `oldThing()` is deprecated');
  });

  it('is silenced by --no-deprecation, as every Node.js deprecation is', () => {
    const child = spawnSync(process.execPath, ['--no-deprecation', '--import', 'tsx', fixture], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect(child.status, child.stderr).to.equal(0);
    expect(child.stderr).to.not.contain('DeprecationWarning');
    expect(JSON.parse(child.stdout).first).to.deep.equal(['ORG_PLATFORM_DEP900']);
  });

  it('refuses a code its registry does not list', async () => {
    const { deprecated } = await import('../../src/deprecation/index.js');
    expect(() => deprecated('ORG_PLATFORM_DEP001')).to.throw(
      TypeError,
      /ORG_PLATFORM_DEP001 is not a deprecation code/,
    );
  });

  it('has stable codes, each documented in UPGRADING.md with its replacement', () => {
    const upgrading = readFileSync(new URL('../../UPGRADING.md', import.meta.url), 'utf8');
    for (const code of Object.keys(DEPRECATIONS)) {
      expect(code).to.match(/^ORG_PLATFORM_DEP\d{3}$/);
      expect(upgrading, code).to.contain(`\`${code}\``);
    }
  });
});

describe('deprecations seen from outside', () => {
  it('lists the codes used in /version (none in a fresh process) and counts each call in /metrics', () => {
    const script = fileURLToPath(new URL('fixtures/version-and-metrics.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--no-deprecation', '--import', 'tsx', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect(child.status, child.stderr).to.equal(0);
    const { before, after } = JSON.parse(child.stdout);
    expect(before).to.deep.equal({ deprecations: [], calls: [] });
    expect(after).to.deep.equal({
      deprecations: ['ORG_PLATFORM_DEP900'],
      calls: ['platform_deprecated_api_calls_total{code="ORG_PLATFORM_DEP900"} 3'],
    });
  });
});
