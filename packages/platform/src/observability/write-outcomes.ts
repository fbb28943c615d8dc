import { processWide } from '../context/process-wide.js';

/** What `/metrics` counts of retried and conditional writes. @internal */
export type WriteOutcome = 'replay' | 'IDEMPOTENCY_KEY_IN_FLIGHT' | 'IDEMPOTENCY_KEY_REUSED' | 'PRECONDITION_FAILED';

// Running totals by outcome and route template, kept here (below http, routes and metrics, which
// all read or write them) and read at scrape time: a prom-client update per event would cost
// more than the event. Process-wide, like the deprecation counts: one service is one process.
const totals = processWide('write-outcomes', () => new Map<WriteOutcome, Map<string, number>>());

/**
 * Counts one retried or conditional write's outcome on a route, method first (`POST /api/v1/entities`).
 * @internal
 */
export function countWriteOutcome(outcome: WriteOutcome, route: string): void {
  const all = totals();
  let byRoute = all.get(outcome);
  if (byRoute === undefined) all.set(outcome, (byRoute = new Map<string, number>()));
  byRoute.set(route, (byRoute.get(route) ?? 0) + 1);
}

/**
 * The totals of one outcome in this process, by route template (only routes counted).
 * @internal
 */
export function writeOutcomes(outcome: WriteOutcome): ReadonlyMap<string, number> {
  return totals().get(outcome) ?? new Map<string, number>();
}
