import { Gauge } from 'prom-client';
import type { Metrics } from '../metrics/metrics.js';
import { registerRunningTotal } from '../metrics/running-total.js';
import type { SessionCacheStats } from './session-cache.js';

/**
 * Registers the session cache's counts on an app's registry, read at scrape time (an update per
 * request would cost more than the cache hit it counts).
 *
 * @internal
 */
export function registerSessionCacheMetrics(
  metrics: Pick<Metrics, 'registry' | 'prefix'>,
  stats: () => SessionCacheStats | undefined,
): void {
  const registers = [metrics.registry];
  const counter = (name: string, help: string, read: (current: SessionCacheStats) => number): void => {
    registerRunningTotal({
      registry: metrics.registry,
      name: `${metrics.prefix}${name}`,
      help,
      read: () => {
        const current = stats();
        return current === undefined ? undefined : [[{}, read(current)]];
      },
    });
  };
  counter(
    'auth_session_cache_hits_total',
    'Session tokens found verified in the cache (no signature check).',
    (s) => s.hits,
  );
  counter(
    'auth_session_cache_misses_total',
    'Session tokens not in the cache (verified by the Clerk SDK).',
    (s) => s.misses,
  );
  new Gauge({
    name: `${metrics.prefix}auth_session_cache_entries`,
    help: 'Session tokens in the cache (verified, or refused within the last second).',
    registers,
    collect() {
      const current = stats();
      if (current !== undefined) this.set(current.entries);
    },
  });
}
