import { describe, it } from 'mocha';
import { expect } from 'chai';
import { checkSupplyChain, lintWorkflow } from '../src/workflows.mjs';
import { readRepo, mutate } from './helpers.mjs';

describe('lintWorkflow', () => {
  for (const name of ['ci.yml', 'deploy-staging.yml', 'deploy-production.yml', 'release.yml']) {
    it(`accepts .github/workflows/${name}`, async () => {
      expect(await lintWorkflow(readRepo('.github', 'workflows', name), name)).to.deep.equal([]);
    });
  }

  it('reports an unpinned action, an unknown job in needs and a broken expression', async () => {
    let text = mutate(
      readRepo('.github', 'workflows', 'ci.yml'),
      'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
      'actions/checkout@v4',
    );
    text = mutate(text, 'needs: [checks, test, image, supply-chain]', 'needs: [checks, tests, image, supply-chain]');
    text = mutate(text, '${{ matrix.node }}\n', '${{ matrix.node\n');
    const errors = (await lintWorkflow(text, 'ci.yml')).join('\n');
    expect(errors).to.match(/uses actions\/checkout@v4: pin actions to a full commit SHA/);
    expect(errors).to.match(/needs job "tests" which does not exist/);
    expect(errors).to.match(/unexpected EOF while lexing expression/);
  });

  it('reports missing permissions, concurrency and job timeouts', async () => {
    let text = mutate(readRepo('.github', 'workflows', 'release.yml'), 'permissions: {}\n\n', '');
    text = mutate(text, 'concurrency:\n  group: release\n  cancel-in-progress: false\n', '');
    text = mutate(text, '    timeout-minutes: 15\n', '');
    const errors = await lintWorkflow(text, 'release.yml');
    expect(errors).to.include.members([
      'release.yml: no top-level permissions (least privilege: set them, then widen per job)',
      'release.yml: no concurrency group',
      'release.yml: job release has no timeout-minutes',
    ]);
  });

  it('reports an unknown runner label and an undefined context even though it allows newer ones', async () => {
    let text = mutate(
      readRepo('.github', 'workflows', 'release.yml'),
      'runs-on: ubuntu-24.04',
      'runs-on: ubuntu-99.04',
    );
    text = mutate(text, '${{ secrets.NPM_TOKEN }}', '${{ secret.NPM_TOKEN }}');
    const errors = (await lintWorkflow(text, 'release.yml')).join('\n');
    expect(errors).to.match(/label "ubuntu-99\.04" is unknown/);
    expect(errors).to.match(/undefined variable "secret"/);
  });

  it('reports a bad cron and an unknown key', async () => {
    const text =
      'name: x\non:\n  schedule:\n    - cron: "0 0 * * 8"\npermissions: {}\nconcurrency: x\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout_minutes: 5\n    steps:\n      - run: "true"\n';
    const errors = (await lintWorkflow(text, 'x.yml')).join('\n');
    expect(errors).to.match(/cron/i);
    expect(errors).to.match(/timeout_minutes/);
  });
});

describe('checkSupplyChain', () => {
  const ci = readRepo('.github', 'workflows', 'ci.yml');

  it('accepts ci.yml: pnpm audit and npm audit signatures in a job ci-ok needs', async () => {
    expect(checkSupplyChain(ci, 'ci.yml')).to.deep.equal([]);
    expect(await lintWorkflow(ci, 'ci.yml')).to.deep.equal([]);
  });

  it('reports a missing audit and a supply-chain job the required check does not wait for', () => {
    let text = mutate(ci, 'run: pnpm audit --prod --audit-level high', 'run: pnpm audit');
    text = mutate(text, 'needs: [checks, test, image, supply-chain]', 'needs: [checks, test, image]');
    expect(checkSupplyChain(text, 'ci.yml')).to.deep.equal([
      'ci.yml: no step runs `pnpm audit --prod --audit-level high`',
      'ci.yml: job supply-chain (`npm audit signatures`) is not among the needs of ci-ok',
    ]);
  });
});
