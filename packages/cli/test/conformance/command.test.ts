import { expect } from 'chai';
import { deprecatedServiceApp } from '../fixtures/deprecated-service.js';
import { runCli, runInProcess } from '../fixtures/run-cli.js';
import { serve, type Running } from '../fixtures/services.js';

describe('org-platform conformance', function () {
  this.timeout(60_000);
  let platformService: Running;
  let bare: Running;
  before(async () => {
    [platformService, bare] = await Promise.all([
      deprecatedServiceApp().then(serve),
      serve((_req, res) => res.end('hi')),
    ]);
  });
  after(async () => Promise.all([platformService.stop(), bare.stop()]));

  it('runs the platform kit with its flags: exit 0 for a platform service, 1 for a service that does not conform', async () => {
    const pass = await runCli(['conformance', platformService.url, '--origin', 'https://app.example.com']);
    expect(pass.stdout).to.match(/PASSED: 9 passed, 0 failed, 2 skipped/);
    expect(pass.code).to.equal(0);
    const fail = await runCli(['conformance', bare.url, '--json']);
    expect(fail.code).to.equal(1);
    expect((JSON.parse(fail.stdout) as { passed: boolean }).passed).to.equal(false);
  });

  it("prints the kit's usage under its own name", async () => {
    const help = await runInProcess(['conformance', '--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^usage: org-platform conformance <base-url> \[options\]/);
    const bad = await runInProcess(['conformance']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/^expected exactly one base URL\n\nusage: org-platform conformance/);
  });
});
