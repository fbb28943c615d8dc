import type { Metric, Registry, RegistryContentType } from 'prom-client';

/** The counts of one label set: what a request adds to the histogram. @internal */
export interface DurationSeries {
  /** Counts one duration, in seconds (finite: the caller measured it). */
  observe(seconds: number): void;
}

/** A histogram of request durations on a prom-client registry. @internal */
export interface RequestDurationHistogram {
  /** The series of one label set, made on first use; keep it: finding it again is the caller's to make cheap. */
  series(method: string, route: string, statusCode: string): DurationSeries;
}

/** Options of {@link registerRequestDurationHistogram}. @internal */
export interface RequestDurationHistogramOptions {
  readonly registry: Registry<RegistryContentType>;
  readonly name: string;
  readonly help: string;
  readonly buckets: readonly number[];
}

type Labels = Record<string, string | number>;

/** A sample as prom-client's metrics give it to the registry. */
interface Sample {
  readonly labels: Labels;
  readonly sharedLabels?: Labels;
  readonly value: number;
  readonly metricName: string;
  readonly exemplar?: null;
}

/** What a prom-client metric's `get()` resolves with (its `type` is a string at run time). */
interface Collected {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  readonly values: Sample[];
  readonly aggregator: 'sum';
}

class Series implements DurationSeries {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Readonly<Labels>,
    private readonly bounds: readonly number[],
    private readonly shown: Series[],
  ) {
    this.counts = bounds.map(() => 0);
  }

  observe(seconds: number): void {
    // Shown from its first observation on (after reset(), from its next one), in that order.
    if (this.count === 0) this.shown.push(this);
    const { bounds } = this;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]!) {
        this.counts[i]! += 1;
        break;
      }
    }
    this.sum += seconds;
    this.count += 1;
  }
}

/**
 * `name{method,route,status_code}` as a Prometheus histogram on `registry`, scraped exactly as
 * prom-client's `Histogram` is (same samples, labels, order and values; a test compares the two
 * byte for byte, default labels and OpenMetrics included). Why not prom-client's own: its
 * `observe` validates and hashes the labels and turns the bucket bound into a property name on
 * every call, about 2 µs a request; here a request adds 1 to a number in an array, and the
 * cumulative counts are made at scrape time. The registry takes it through its metric interface
 * (`get`, `reset`), as it takes prom-client's own metrics.
 * @internal
 */
export function registerRequestDurationHistogram(options: RequestDurationHistogramOptions): RequestDurationHistogram {
  const { name, help } = options;
  // prom-client's own rule and words for a metric name (a bad `prefix` fails here, as it did there).
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error('Invalid metric name');
  const bounds = [...options.buckets];
  const made = new Map<string, Series>();
  const shown: Series[] = [];
  const header = { name, help, type: 'histogram', aggregator: 'sum' } as const;

  // prom-client's two shapes: `get()` merges each series' labels into every sample's labels;
  // what the registry renders as text keeps them apart (`sharedLabels`), which decides where
  // the registry's default labels go on the line.
  function collect(shared: boolean): Collected {
    const values: Sample[] = [];
    const sample = (
      labels: Labels,
      value: number,
      metricName: string,
      own: Readonly<Labels>,
      exemplar?: null,
    ): void => {
      values.push(
        shared
          ? { labels, sharedLabels: { ...own }, value, metricName, exemplar }
          : { value, metricName, exemplar, labels: { ...labels, ...own } },
      );
    };
    for (const series of shown) {
      let cumulative = 0;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += series.counts[i]!;
        sample({ le: bounds[i]! }, cumulative, `${name}_bucket`, series.labels, null);
      }
      sample({ le: '+Inf' }, series.count, `${name}_bucket`, series.labels, null);
      sample({}, series.sum, `${name}_sum`, series.labels);
      sample({}, series.count, `${name}_count`, series.labels);
    }
    return { ...header, values };
  }

  const metric = {
    ...header,
    get: () => Promise.resolve(collect(false)),
    getForPromString: () => Promise.resolve(collect(true)),
    reset(): void {
      for (const series of shown) {
        series.counts.fill(0);
        series.sum = 0;
        series.count = 0;
      }
      shown.length = 0;
    },
  };
  // The registry needs only these members of a metric; prom-client's type names its own classes.
  options.registry.registerMetric(metric as unknown as Metric);

  return {
    series(method, route, statusCode) {
      const key = JSON.stringify([method, route, statusCode]);
      let series = made.get(key);
      if (series === undefined)
        made.set(key, (series = new Series({ method, route, status_code: statusCode }, bounds, shown)));
      return series;
    },
  };
}
