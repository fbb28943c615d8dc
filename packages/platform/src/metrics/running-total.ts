import { Counter, type Registry } from 'prom-client';

/** Options of {@link registerRunningTotal}. */
export interface RunningTotalOptions {
  readonly registry: Registry;
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
  /** The totals now, one per label set (`{}` without labels); `undefined` reports nothing. */
  readonly read: () => Iterable<readonly [Readonly<Record<string, string>>, number]> | undefined;
}

/**
 * A counter whose value is kept elsewhere (a plain number or map updated on the hot path) and
 * read at scrape time: a prom-client update per event would cost more than the event it counts.
 * A counter has no `set()`, so each scrape brings it up to the running total.
 *
 * @example
 * registerRunningTotal({ registry, name: 'cache_hits_total', help: 'Hits.', read: () => [[{}, hits]] });
 * @internal
 */
export function registerRunningTotal(options: RunningTotalOptions): void {
  new Counter({
    name: options.name,
    help: options.help,
    labelNames: [...(options.labelNames ?? [])],
    registers: [options.registry],
    collect() {
      const totals = options.read();
      if (totals === undefined) return;
      this.reset();
      for (const [labels, value] of totals) this.inc({ ...labels }, value);
    },
  });
}
