import { ConformanceError } from './report.js';
import { runConformance } from './run-conformance.js';
import type { ConformanceOptions, ConformanceReport, ConformanceTarget } from './types.js';

/**
 * Mocha- (and any runner-) friendly form of {@link runConformance}: resolves with the report when
 * every check passed or was skipped, rejects with a {@link ConformanceError} whose message lists
 * each check and each problem otherwise.
 *
 * @example
 * it('is a conformant member of the fleet', async () => {
 *   await assertConformance({ app: createApp(deps) }, { protectedRoute: { method: 'GET', path: '/api/v1/entities' } });
 * });
 */
export async function assertConformance(
  target: ConformanceTarget,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const report = await runConformance(target, options);
  if (!report.passed) throw new ConformanceError(report);
  return report;
}
