// Redocly CLI lints the published document with its recommended rules: no error, no warning.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binOf, startDocumentedService, TOOL_ENV, type DocumentedService } from './fixtures.js';

interface LintReport {
  readonly totals: { readonly errors: number; readonly warnings: number; readonly ignored: number };
  readonly problems: readonly { readonly ruleId: string; readonly message: string; readonly location?: unknown }[];
}

describe('the OpenAPI document under Redocly lint (recommended rules)', function () {
  this.timeout(60_000);
  let service: DocumentedService;
  before(async () => {
    service = await startDocumentedService();
    writeFileSync(join(service.dir, 'redocly.yaml'), 'extends:\n  - recommended\ntelemetry: off\n');
  });
  after(() => service.close());

  function lint(file: string): LintReport {
    const run = spawnSync(
      process.execPath,
      [
        binOf('@redocly/cli', 'redocly'),
        'lint',
        file,
        '--format',
        'json',
        '--config',
        join(service.dir, 'redocly.yaml'),
      ],
      { cwd: service.dir, env: TOOL_ENV, encoding: 'utf8' },
    );
    expect(run.stdout, run.stderr).to.match(/^\s*\{/);
    return JSON.parse(run.stdout) as LintReport;
  }

  it('reports no error and no warning, and ignores nothing', () => {
    const report = lint(service.documentFile);
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).to.deep.equal([]);
    expect(report.totals).to.deep.equal({ errors: 0, warnings: 0, ignored: 0 });
  });

  it('does flag what the issue reported (no servers, no license), so a clean run means something', () => {
    const {
      servers: _servers,
      info,
      ...rest
    } = service.document as { servers: unknown; info: Record<string, unknown> };
    const { license: _license, ...bareInfo } = info;
    const file = join(service.dir, 'bare.json');
    writeFileSync(file, JSON.stringify({ ...rest, info: bareInfo }));
    const rules = lint(file).problems.map((p) => p.ruleId);
    expect(rules).to.include.members(['no-empty-servers', 'info-license']);
  });
});
