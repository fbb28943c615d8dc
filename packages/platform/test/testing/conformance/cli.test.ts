import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { runConformanceCommand } from '../../../src/testing/index.js';
import { bareApp, IDEMPOTENT_ROUTE, ORIGIN, platformApp } from './fixtures.js';

const CLI = fileURLToPath(new URL('../../../src/testing/conformance/cli.ts', import.meta.url));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function listen(app: RequestListener): Promise<{ url: string; server: Server }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe('org-platform-conformance (cli)', () => {
  it('exits 0 and prints the report when the service at the URL conforms', async () => {
    const { url, server } = await listen(platformApp());
    try {
      const route = IDEMPOTENT_ROUTE;
      const result = await runCli([
        url,
        '--origin',
        ORIGIN,
        '--protected',
        'GET /api/v1/things',
        '--expect-version',
        '1.2.3',
        '--idempotent',
        `POST ${route.path}`,
        '--idempotent-body',
        JSON.stringify(route.body),
        '--idempotent-other-body',
        JSON.stringify(route.otherBody),
        '--header',
        `Authorization: ${route.headers!.Authorization!}`,
      ]);
      expect(result.stderr).to.equal('');
      expect(result.stdout).to.include(`Conformance of ${url}`);
      expect(result.stdout).to.include('✔ idempotency:');
      expect(result.stdout).to.match(/PASSED: 11 passed, 0 failed, 0 skipped/);
      expect(result.code).to.equal(0);
    } finally {
      await stop(server);
    }
  });

  it('exits 1 with a JSON report when a check fails', async () => {
    const { url, server } = await listen(bareApp());
    try {
      const result = await runCli([url, '--json', '--require', '/healthz']);
      expect(result.code).to.equal(1);
      const report = JSON.parse(result.stdout) as { passed: boolean; checks: { id: string; status: string }[] };
      expect(report.passed).to.equal(false);
      expect(report.checks.find((c) => c.id === 'readyz')?.status).to.equal('skip');
    } finally {
      await stop(server);
    }
  });

  it('exits 2 with the usage when the arguments are wrong', async () => {
    const noUrl = await runCli([]);
    expect(noUrl.code).to.equal(2);
    expect(noUrl.stderr).to.match(/^expected exactly one base URL\n\nusage: org-platform-conformance/);
    const badRoute = await runCli(['http://127.0.0.1:1', '--protected', 'entities']);
    expect(badRoute.code).to.equal(2);
    expect(badRoute.stderr).to.include('--protected must look like "GET /api/v1/entities"');
    const noBody = await runCli([
      'http://127.0.0.1:1',
      '--idempotent',
      'POST /api/v1/entities',
      '--idempotent-body',
      '{"title":"x"}',
    ]);
    expect(noBody.code).to.equal(2);
    expect(noBody.stderr).to.include('--idempotent needs --idempotent-other-body');
    const notJson = await runCli([
      'http://127.0.0.1:1',
      '--idempotent',
      'POST /api/v1/entities',
      '--idempotent-body',
      '{title}',
      '--idempotent-other-body',
      '{}',
    ]);
    expect(notJson.stderr).to.include('--idempotent-body must be JSON');
    const alone = await runCli(['http://127.0.0.1:1', '--header', 'Authorization: Bearer x']);
    expect(alone.stderr).to.include('go with --idempotent');
    const unknownFlag = await runCli(['http://127.0.0.1:1', '--frobnicate']);
    expect(unknownFlag.code).to.equal(2);
    expect(unknownFlag.stderr).to.include("Unknown option '--frobnicate'");
  });
});

describe('runConformanceCommand', () => {
  it('prints the usage under the name it is given for --help and resolves 0, without exiting', async () => {
    let out = '';
    const code = await runConformanceCommand(['--help'], {
      name: 'org-platform conformance',
      stdout: (text) => (out += text),
    });
    expect(code).to.equal(0);
    expect(out).to.match(/^usage: org-platform conformance <base-url> \[options\]/);
  });

  it('resolves 2 with the usage for bad arguments and 1 for a failing service', async () => {
    let err = '';
    expect(await runConformanceCommand(['not-a-url'], { stderr: (text) => (err += text) })).to.equal(2);
    expect(err).to.match(/^not an http\(s\) URL: not-a-url\n\nusage: org-platform-conformance/);
    const { url, server } = await listen(bareApp());
    try {
      let out = '';
      expect(await runConformanceCommand([url, '--require', '/healthz'], { stdout: (text) => (out += text) })).to.equal(
        1,
      );
      expect(out).to.match(/FAILED: /);
    } finally {
      await stop(server);
    }
  });
});
