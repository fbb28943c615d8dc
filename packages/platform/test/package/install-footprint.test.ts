// What a service gets when it installs the packed @org/platform with npm: nothing that runs at
// install (no install scripts, so no install-time telemetry), no docs UI unless it asks for one,
// and docs that still serve the OpenAPI document without it.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/docs-without-ui.mjs', import.meta.url));

interface LockPackage {
  readonly hasInstallScript?: boolean;
  readonly dev?: boolean;
}

describe('installing the packed @org/platform with npm (real npm, the real tarball)', function () {
  this.timeout(180_000);
  let consumer: string;
  let lock: Record<string, LockPackage>;

  before(async () => {
    consumer = mkdtempSync(join(tmpdir(), 'platform-install-'));
    // The outer run's npm/pnpm settings and coverage stay out of the consumer's install.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) =>
          !key.startsWith('npm_') &&
          !key.startsWith('PNPM_') &&
          !['NODE_V8_COVERAGE', 'NODE_OPTIONS', 'NODE_PATH'].includes(key),
      ),
    );
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', consumer], { cwd: packageDir, env });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }),
    );
    const peer = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
        `./${filename}`,
        `express@${peer.devDependencies.express}`,
      ],
      { cwd: consumer, env, timeout: 150_000 },
    );
    lock = (
      JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> }
    ).packages;
  });
  after(() => rmSync(consumer, { recursive: true, force: true }));

  it('installs no package with an install script, and neither swagger-ui-dist nor @scarf/scarf', () => {
    const withScripts = Object.entries(lock)
      .filter(([, entry]) => entry.hasInstallScript === true)
      .map(([path]) => path);
    expect(withScripts).to.deep.equal([]);
    const names = Object.keys(lock).map((path) => path.replace(/^.*node_modules\//, ''));
    expect(names).to.include('@org/platform');
    expect(names).not.to.include.members(['swagger-ui-dist']);
    expect(names).not.to.include('@scarf/scarf');
  });

  it('still serves /openapi.json without swagger-ui-dist, and /docs says what to install (with one warning at start)', async () => {
    // Without NODE_PATH: pnpm's bin shims set it to the workspace's hoisted packages (swagger-ui-dist among them).
    const { NODE_V8_COVERAGE: _coverage, NODE_OPTIONS: _options, NODE_PATH: _path, ...env } = process.env;
    // Copied into the consumer, so that `@org/platform` resolves to the installed copy.
    copyFileSync(fixture, join(consumer, 'docs-without-ui.mjs'));
    const { stdout } = await run(process.execPath, ['docs-without-ui.mjs'], { cwd: consumer, env, timeout: 20_000 });
    const result = JSON.parse(stdout) as Record<string, { status: number; type: string; body: string }> & {
      warnings: string[];
    };
    expect(result.document!.status).to.equal(200);
    expect(JSON.parse(result.document!.body)).to.include({ openapi: '3.1.0' });
    expect(result.page!.status).to.equal(200);
    expect(result.page!.body).to.contain('npm install swagger-ui-dist').and.not.contain('<script');
    expect(result.asset!.status).to.equal(404);
    expect(result.warnings).to.deep.equal(['docs_ui_not_installed']);
  });
});
