import type { ConformanceReport } from './types.js';

const MARK = { pass: '✔', fail: '✖', skip: '-' } as const;

/**
 * Renders a report as readable text: one line per check, its problems indented below.
 *
 * @example
 * process.stdout.write(formatConformanceReport(await runConformance({ baseUrl })));
 */
export function formatConformanceReport(report: ConformanceReport): string {
  const lines = [`Conformance of ${report.target}`];
  for (const check of report.checks) {
    const note = check.status === 'skip' ? ` (skipped: ${check.reason ?? 'no reason'})` : '';
    lines.push(`  ${MARK[check.status]} ${check.id}: ${check.title}${note}`);
    for (const problem of check.problems) lines.push(`      ${problem}`);
  }
  const { passed, failed, skipped } = report.summary;
  lines.push(
    `${report.passed ? 'PASSED' : 'FAILED'}: ${passed} passed, ${failed} failed, ${skipped} skipped in ${report.durationMs} ms`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Thrown by {@link assertConformance} when a check fails; carries the whole report.
 *
 * @example
 * try { await assertConformance({ app }); } catch (error) { if (isConformanceError(error)) inspect(error.report); }
 */
export class ConformanceError extends Error {
  /** Stable name, read by {@link isConformanceError}. */
  override readonly name = 'ConformanceError';
  /** The whole report, failing and passing checks. */
  readonly report: ConformanceReport;
  constructor(report: ConformanceReport) {
    super(`the service is not conformant:\n${formatConformanceReport(report)}`);
    this.report = report;
  }
}

/**
 * Recognises a {@link ConformanceError} by name (works across two copies of the package).
 *
 * @example
 * if (isConformanceError(error)) process.stderr.write(`${error.report.summary}\n`);
 */
export function isConformanceError(error: unknown): error is ConformanceError {
  return error instanceof Error && error.name === 'ConformanceError' && 'report' in error;
}
