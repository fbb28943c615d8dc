import type { Registry } from 'prom-client';
import { writeOutcomes } from '../observability/write-outcomes.js';
import { registerRunningTotal } from './running-total.js';

const CONFLICTS = ['IDEMPOTENCY_KEY_IN_FLIGHT', 'IDEMPOTENCY_KEY_REUSED'] as const;

// Counted under `METHOD /route/template`: the method and the template become labels of their own.
function labels(route: string): { method: string; route: string } {
  const space = route.indexOf(' ');
  return { method: route.slice(0, space), route: route.slice(space + 1) };
}

/**
 * Registers the counts of retried and conditional writes on an app's registry, read at scrape
 * time: `idempotency_replays_total{method,route}` (recorded answers replayed),
 * `idempotency_key_conflicts_total{method,route,code}` (409 `IDEMPOTENCY_KEY_IN_FLIGHT`, 422
 * `IDEMPOTENCY_KEY_REUSED`) and `precondition_failures_total{method,route}` (412 `PRECONDITION_FAILED`).
 * @internal
 */
export function registerWriteOutcomeMetrics(registry: Registry, prefix: string): void {
  registerRunningTotal({
    registry,
    name: `${prefix}idempotency_replays_total`,
    help: 'Requests answered with the recorded answer of an earlier request with the same Idempotency-Key, by method and route template.',
    labelNames: ['method', 'route'],
    read: () => [...writeOutcomes('replay')].map(([route, count]) => [labels(route), count] as const),
  });
  registerRunningTotal({
    registry,
    name: `${prefix}idempotency_key_conflicts_total`,
    help: 'Requests refused over their Idempotency-Key: 409 IDEMPOTENCY_KEY_IN_FLIGHT (the first is still running) or 422 IDEMPOTENCY_KEY_REUSED (another request used it), by method, route template and code.',
    labelNames: ['method', 'route', 'code'],
    read: () =>
      CONFLICTS.flatMap((code) =>
        [...writeOutcomes(code)].map(([route, count]) => [{ ...labels(route), code }, count] as const),
      ),
  });
  registerRunningTotal({
    registry,
    name: `${prefix}precondition_failures_total`,
    help: 'Writes refused with 412 PRECONDITION_FAILED (a stale If-Match), by method and route template.',
    labelNames: ['method', 'route'],
    read: () => [...writeOutcomes('PRECONDITION_FAILED')].map(([route, count]) => [labels(route), count] as const),
  });
}
