import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addCommand, detectPackageManager } from '../../src/consumer/package-manager.js';
import { breakingLine, linesCrossed, newestOfLine } from '../../src/release/breaking-lines.js';

describe('detectPackageManager', () => {
  it('goes by the lockfile, then packageManager, then npm', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-'));
    try {
      expect(detectPackageManager(dir, {})).to.deep.equal({ manager: 'npm', from: 'no lockfile: npm' });
      expect(detectPackageManager(dir, { packageManager: 'yarn@4.5.0' })).to.deep.equal({
        manager: 'yarn',
        from: 'packageManager in package.json',
      });
      writeFileSync(join(dir, 'package-lock.json'), '{}');
      expect(detectPackageManager(dir, { packageManager: 'yarn@4.5.0' }).manager).to.equal('npm');
      writeFileSync(join(dir, 'yarn.lock'), '');
      expect(detectPackageManager(dir, {}).manager).to.equal('yarn');
      writeFileSync(join(dir, 'pnpm-lock.yaml'), '');
      expect(detectPackageManager(dir, {})).to.deep.equal({ manager: 'pnpm', from: 'pnpm-lock.yaml' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("adds packages in each manager's words, keeping exact pins and dev dependencies", () => {
    expect(addCommand('npm', ['@org/platform@0.2.0'], { exact: true, dev: false })).to.deep.equal([
      'npm',
      ['install', '--no-audit', '--no-fund', '--save-exact', '@org/platform@0.2.0'],
    ]);
    expect(addCommand('pnpm', ['@org/platform@0.2.0', 'express@^5.0.0'], { exact: false, dev: true })).to.deep.equal([
      'pnpm',
      ['add', '--save-dev', '@org/platform@0.2.0', 'express@^5.0.0'],
    ]);
    expect(addCommand('yarn', ['@org/platform@0.2.0'], { exact: true, dev: true })).to.deep.equal([
      'yarn',
      ['add', '--exact', '--dev', '@org/platform@0.2.0'],
    ]);
  });
});

describe('one major at a time', () => {
  const published = ['0.1.0', '0.1.3', '0.2.0', '0.2.4', '0.3.0-rc.1', '0.3.0', '1.0.0', '1.2.0', '2.0.0'];
  it('counts minors as breaking before 1.0 and majors after', () => {
    expect(breakingLine('0.2.4')).to.equal('0.2');
    expect(breakingLine('1.2.0')).to.equal('1');
    expect(linesCrossed('0.1.3', '0.2.4', published)).to.deep.equal(['0.2']);
    expect(linesCrossed('0.1.3', '1.2.0', published)).to.deep.equal(['0.2', '0.3', '1']);
    expect(linesCrossed('1.0.0', '1.2.0', published)).to.deep.equal([]);
    expect(newestOfLine('0.2', published)).to.equal('0.2.4');
    expect(newestOfLine('0.3', published)).to.equal('0.3.0');
  });
});
