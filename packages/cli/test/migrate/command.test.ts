import { expect } from 'chai';
import { runCli, runInProcess } from '../fixtures/run-cli.js';

describe('org-platform migrate', () => {
  it('lists the migrations, all or those in a range', async () => {
    const all = await runCli(['migrate', '--list']);
    expect(all.code).to.equal(0);
    expect(all.stdout).to.equal(
      '0.2.0    route-declaration    validate() + RouteDescription → one declaration per route (defineRoute + createRouteGroup) (ORG_PLATFORM_DEP001, ORG_PLATFORM_DEP002)\n' +
        "1.0.0    subpath-imports      imports of the names 1.0 moved out of @org/platform's root → their subpaths (@org/platform/http, /client, …)\n" +
        '1.0.0    app-lifecycle        createServiceApp({ health, loadShedder, observability, metrics }) of one lifecycle → createServiceApp({ lifecycle })\n' +
        "1.0.0    error-registries     defineErrorCodes() registries whose codes routes' errors name → registered in ErrorRegistries (declare module '@org/platform')\n",
    );
    const across = await runInProcess(['migrate', '--list', '--from', '0.1.0', '--to', '1.0.0']);
    expect(across.stdout.split('\n').map((line) => line.split(/\s+/)[1])).to.deep.equal([
      'route-declaration',
      'subpath-imports',
      'app-lifecycle',
      'error-registries',
      undefined,
    ]);
    const none = await runInProcess(['migrate', '--list', '--from', '0.2.0', '--to', '0.2.9']);
    expect(none.stdout).to.equal('no migrations in that range\n');
  });

  it('answers bad usage with exit 2 and its usage, --help with exit 0', async () => {
    for (const args of [
      ['migrate', '--from', 'yesterday'],
      ['migrate', '--to', '0.1.0', '--from', '0.2.0'],
      ['migrate', '--frobnicate'],
    ]) {
      const run = await runInProcess(args);
      expect(run.code, args.join(' ')).to.equal(2);
      expect(run.stderr).to.include('usage: org-platform migrate');
    }
    const missing = await runInProcess(['migrate', '--to', '0.1.0', 'no/such/folder']);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.equal('org-platform migrate: no/such/folder: no such file or directory\n');
    const help = await runInProcess(['migrate', '-h']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^usage: org-platform migrate \[--from <version>\]/);
  });
});

describe('org-platform', () => {
  it('lists its commands for --help, and answers an unknown or missing command with exit 2', async () => {
    const help = await runCli(['--help']);
    expect(help.code).to.equal(0);
    for (const command of ['fleet', 'migrate', 'upgrade', 'conformance'])
      expect(help.stdout).to.match(new RegExp(`^  ${command} +\\S`, 'm'));
    expect((await runInProcess([])).code).to.equal(2);
    const unknown = await runInProcess(['deploy']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/^org-platform: unknown command "deploy"/);
  });
});
