import { expect } from 'chai';
import { assertConformance, isConformanceError } from '../../../src/testing/index.js';
import { bareApp, platformApp } from './fixtures.js';

describe('assertConformance', () => {
  it('resolves with the report when the service conforms', async () => {
    const report = await assertConformance({ app: platformApp() });
    expect(report.passed).to.equal(true);
  });

  it('rejects with a ConformanceError listing every failed check when it does not', async () => {
    const error: unknown = await assertConformance({ app: bareApp() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isConformanceError(error)).to.equal(true);
    if (!isConformanceError(error)) return;
    expect(error.report.passed).to.equal(false);
    expect(error.message).to.match(/^the service is not conformant:\nConformance of http:\/\/127\.0\.0\.1:\d+\n/);
    expect(error.message).to.include('  ✖ unknown-route: an unknown route answers 404 ROUTE_NOT_FOUND');
    expect(error.message).to.include('  - cors: CORS answers the allowed origin');
    expect(error.message).to.match(/FAILED: 0 passed, 8 failed, 3 skipped in \d+ ms\n$/);
  });
});
