import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deprecatedServiceApp } from '../fixtures/deprecated-service.js';
import { runCli, runInProcess } from '../fixtures/run-cli.js';
import {
  hangingPort,
  refusedPort,
  serve,
  stalledBody,
  startSampleService,
  type Running,
} from '../fixtures/services.js';

const platformVersion = (await import('../../../platform/package.json', { with: { type: 'json' } })).default.version;
const cliVersion = (await import('../../package.json', { with: { type: 'json' } })).default.version;

interface FleetJson {
  platform: string;
  services: Record<string, unknown>[];
}

describe('org-platform fleet', function () {
  this.timeout(120_000);
  const running: Running[] = [];
  let first: Running;
  let second: Running;
  let legacy: Running;
  let notPlatform: Running;
  let hanging: Running;
  let stalled: Running;
  let refused: string;
  let work: string;

  before(async () => {
    [first, second, legacy, notPlatform, hanging, stalled, refused] = await Promise.all([
      startSampleService('entities-a'),
      startSampleService('entities-b'),
      deprecatedServiceApp().then(serve),
      // Answers /version, but not as a platform service does.
      serve((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(req.url === '/version' ? JSON.stringify({ name: 'legacy-php', version: '7.1' }) : '{}');
      }),
      hangingPort(),
      stalledBody(),
      refusedPort(),
    ]);
    running.push(first, second, legacy, notPlatform, hanging, stalled);
    work = mkdtempSync(join(tmpdir(), 'fleet-file-'));
  });

  after(async () => {
    await Promise.all(running.map((service) => service.stop()));
    rmSync(work, { recursive: true, force: true });
  });

  it('reports two sample services, names a hanging server, a stalled body and a refused port unreachable, exits 1, within the time limit', async () => {
    const run = await runCli([
      'fleet',
      first.url,
      second.url,
      hanging.url,
      stalled.url,
      refused,
      '--timeout',
      '1500',
      '--json',
    ]);
    expect(run.stderr).to.equal('');
    expect(run.code).to.equal(1);
    // The hanging port costs its time limit once, in parallel with the rest: not 1.5 s per service.
    expect(run.ms).to.be.below(1500 + 6000);
    const report = JSON.parse(run.stdout) as FleetJson;
    expect(report.platform).to.equal(cliVersion);
    const byUrl = new Map(report.services.map((s) => [s.url, s]));
    for (const service of [first, second]) {
      const status = byUrl.get(service.url)!;
      expect(Object.keys(status)).to.deep.equal([
        'name',
        'url',
        'reachable',
        'error',
        'service_name',
        'version',
        'platform_version',
        'node_version',
        'environment',
        'deprecations',
        'behind',
        'migrations',
        'conformance',
        'ok',
        'problems',
      ]);
      expect(status).to.deep.include({
        reachable: true,
        error: null,
        version: '1.4.2',
        platform_version: platformVersion,
        node_version: process.versions.node,
        environment: 'local',
        deprecations: [],
        behind: 'current',
        migrations: [],
        conformance: null,
        ok: true,
        problems: [],
      });
    }
    expect(byUrl.get(first.url)!.service_name).to.equal('entities-a');
    // A timeout is one outcome, whether the headers or the body never came.
    for (const slow of [hanging, stalled])
      expect(byUrl.get(slow.url)).to.deep.include({
        reachable: false,
        error: 'timeout',
        platform_version: null,
        behind: null,
        ok: false,
        problems: ['timeout'],
      });
    expect(byUrl.get(refused)).to.deep.include({
      reachable: false,
      error: 'refused',
      platform_version: null,
      ok: false,
    });
    // Sorted by name (the host, for URLs given on the command line).
    const names = report.services.map((s) => String(s.name));
    expect(names).to.deep.equal([...names].sort((a, b) => a.localeCompare(b, 'en')));
  });

  it('prints a table sorted by name with a summary line, from a services file', async () => {
    const file = join(work, 'fleet.yaml');
    writeFileSync(
      file,
      [
        'services:',
        `  - { name: orders, url: "${first.url}" }`,
        `  - { name: billing, url: "${second.url}/" }`,
        `  - { name: greeter, url: "${legacy.url}" }`,
        `  - { name: wiki, url: "${notPlatform.url}" }`,
        `  - { name: ledger, url: "${refused}" }`,
        '',
      ].join('\n'),
    );
    const run = await runCli(['fleet', '--file', file]);
    expect(run.code).to.equal(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(
      /^NAME\s+URL\s+VERSION\s+PLATFORM\s+BEHIND\s+MIGRATIONS\s+NODE\s+DEPRECATIONS\s+CONFORMANCE\s+PROBLEM$/,
    );
    expect(lines.slice(1, -1).map((line) => line.split(/\s+/)[0])).to.deep.equal([
      'billing',
      'greeter',
      'ledger',
      'orders',
      'wiki',
    ]);
    // The legacy service runs on the last 0.x release (0.2.0), a major behind this CLI: the move to 1.0
    // shows as the migrations it needs.
    expect(lines.find((l) => l.startsWith('greeter'))).to.match(
      /0\.9\.0\s+0\.2\.0\s+major\s+route-declaration, subpath-imports, app-lifecycle, error-registries\s+\S+\s+ORG_PLATFORM_DEP001\s+-/,
    );
    expect(lines.find((l) => l.startsWith('orders'))).to.match(/1\.4\.2\s+\S+\s+current\s+-\s+\S+\s+none\s+-$/);
    expect(lines.find((l) => l.startsWith('ledger'))).to.match(/refused$/);
    expect(lines.find((l) => l.startsWith('wiki'))).to.match(/not on the platform \(no platform_version\)$/);
    expect(lines.at(-1)).to.equal(
      `5 services: 4 ok, 1 unreachable, 1 not on the platform; 2 current, 1 behind (1 major); 1 using deprecated APIs; compared with @org/platform ${cliVersion}`,
    );
  });

  it('shows the move to 1.0.0 (--target): a service on 0.x is behind by a major, with the migrations upgrade runs to get there', async () => {
    // A service still on 0.1.x, as far as its /version says (the others run on real platforms: the last 0.x release, and the workspace's).
    const older = await serve((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        req.url === '/version'
          ? JSON.stringify({
              service_name: 'ledger',
              version: '3.1.0',
              platform_version: '0.1.3',
              node_version: process.versions.node,
              environment: 'production',
              deprecations: [],
            })
          : '{}',
      );
    });
    running.push(older);
    const json = await runCli(['fleet', legacy.url, older.url, '--target', '1.0.0', '--json']);
    expect(json.stderr).to.equal('');
    const report = JSON.parse(json.stdout) as FleetJson;
    expect(report.platform).to.equal('1.0.0');
    const byUrl = new Map(report.services.map((s) => [s.url, s]));
    expect(byUrl.get(legacy.url)).to.deep.include({
      platform_version: '0.2.0',
      behind: 'major',
      migrations: ['route-declaration', 'subpath-imports', 'app-lifecycle', 'error-registries'],
      deprecations: ['ORG_PLATFORM_DEP001'],
    });
    expect(byUrl.get(older.url)).to.deep.include({
      platform_version: '0.1.3',
      behind: 'major',
      migrations: ['route-declaration', 'subpath-imports', 'app-lifecycle', 'error-registries'],
    });
    const table = await runCli(['fleet', legacy.url, older.url, '--target', '1.0.0']);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines.find((l) => l.includes(legacy.url))).to.match(
      /0\.2\.0\s+major\s+route-declaration, subpath-imports, app-lifecycle, error-registries\s+\S+\s+ORG_PLATFORM_DEP001/,
    );
    expect(lines.find((l) => l.includes(older.url))).to.match(
      /0\.1\.3\s+major\s+route-declaration, subpath-imports, app-lifecycle, error-registries\s+\S+\s+none/,
    );
    expect(lines.at(-1)).to.equal(
      '2 services: 2 ok, 0 unreachable; 0 current, 2 behind (2 major); 1 using deprecated APIs; compared with @org/platform 1.0.0',
    );
    for (const [target, message] of [
      ['one', /--target must be a version/],
      ['9.0.0', /--target 9\.0\.0 is after/],
    ] as const) {
      const refused = await runInProcess(['fleet', legacy.url, '--target', target]);
      expect(refused.code).to.equal(2);
      expect(refused.stderr).to.match(message);
    }
  });

  it('reads Backstage catalog-info.yaml: Components with the org-platform/base-url annotation, other entities skipped', async () => {
    const file = join(work, 'catalog-info.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: orders',
        '  annotations:',
        `    org-platform/base-url: ${first.url}`,
        '    org-platform/protected-route: GET /api/v1/entities',
        '    org-platform/cors-origin: https://app.example.com',
        'spec: { type: service, lifecycle: production, owner: team-a }',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata: { name: website }',
        'spec: { type: website, lifecycle: production, owner: team-b }',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: System',
        'metadata: { name: shop, annotations: { org-platform/base-url: "http://ignored.invalid" } }',
        '',
      ].join('\n'),
    );
    const run = await runCli(['fleet', '--file', file, '--json', '--conformance']);
    expect(run.stderr).to.equal('');
    const report = JSON.parse(run.stdout) as FleetJson;
    expect(report.services.map((s) => s.name)).to.deep.equal(['orders']);
    // The kit ran with the annotations' protected route and origin: every check passed, none skipped.
    expect(report.services[0]).to.deep.include({ conformance: { passed: 10, failed: 0, failed_checks: [] }, ok: true });
    expect(run.code).to.equal(0);
  });

  it('fails services below --min-platform and those that fail conformance', async () => {
    const below = await runCli(['fleet', first.url, '--min-platform', '99.0.0', '--json']);
    expect(below.code).to.equal(1);
    // The reason of every ok: false is in the JSON, though /version itself was fine (error: null).
    expect((JSON.parse(below.stdout) as FleetJson).services[0]).to.deep.include({
      ok: false,
      error: null,
      behind: 'current',
      problems: ['below --min-platform 99.0.0'],
    });
    const table = await runCli(['fleet', first.url, notPlatform.url, '--min-platform', '0.0.1', '--conformance']);
    expect(table.code).to.equal(1);
    expect(table.stdout).to.match(
      /not on the platform \(no platform_version\); below --min-platform 0\.0\.1 \(no platform version\); conformance: \d+ checks failed/,
    );
    expect(table.stdout).to.match(/1 failing conformance/);
    const json = await runCli(['fleet', notPlatform.url, '--conformance', '--json']);
    const failing = (JSON.parse(json.stdout) as FleetJson).services[0]!;
    const conformance = failing.conformance as { failed: number; failed_checks: string[] };
    expect(conformance.failed_checks).to.have.length(conformance.failed).and.include('security-headers');
    expect(failing.problems).to.deep.equal([
      `not on the platform (no platform_version)`,
      `conformance: ${conformance.failed} checks failed (${conformance.failed_checks.join(', ')})`,
    ]);
  });

  it('counts one service read from two files (same name and URL) once', async () => {
    const fleetFile = join(work, 'both-fleet.yaml');
    const catalog = join(work, 'both-catalog.yaml');
    writeFileSync(
      fleetFile,
      `services:\n  - { name: orders, url: "${first.url}/" }\n  - { name: billing, url: "${second.url}" }\n`,
    );
    writeFileSync(
      catalog,
      `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\n  annotations:\n    org-platform/base-url: ${first.url}\n`,
    );
    const run = await runCli(['fleet', '--file', fleetFile, '--file', catalog, '--json']);
    expect((JSON.parse(run.stdout) as FleetJson).services.map((s) => s.name)).to.deep.equal(['billing', 'orders']);
  });

  it('answers bad usage with exit 2 and the usage, and --help with exit 0', async () => {
    for (const args of [
      ['fleet'],
      ['fleet', 'ftp://x'],
      ['fleet', first.url, '--timeout', '0'],
      ['fleet', first.url, '--min-platform', 'soon'],
      ['fleet', '--file', join(work, 'missing.yaml')],
      ['fleet', '--frobnicate'],
    ]) {
      const run = await runInProcess(args);
      expect(run.code, args.join(' ')).to.equal(2);
      expect(run.stderr, args.join(' ')).to.include('usage: org-platform fleet');
    }
    const help = await runInProcess(['fleet', '--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^usage: org-platform fleet/);
  });
});
