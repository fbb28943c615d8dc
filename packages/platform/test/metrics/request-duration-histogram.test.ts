import { expect } from 'chai';
import fc from 'fast-check';
import { Histogram, Registry, type RegistryContentType } from 'prom-client';
import { registerRequestDurationHistogram } from '../../src/metrics/request-duration-histogram.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
type AnyRegistry = Registry<RegistryContentType>;
type Observation = readonly [method: string, route: string, status: string, seconds: number];

/** The same observations into prom-client's Histogram and into ours, each on a registry of its own. */
function both(
  observations: readonly Observation[],
  setup: { buckets?: number[]; defaultLabels?: Record<string, string>; openMetrics?: boolean } = {},
): { theirs: AnyRegistry; ours: AnyRegistry; reset: () => void } {
  const buckets = setup.buckets ?? BUCKETS;
  const registries = [new Registry<RegistryContentType>(), new Registry<RegistryContentType>()] as const;
  for (const registry of registries) {
    if (setup.defaultLabels !== undefined) registry.setDefaultLabels(setup.defaultLabels);
    if (setup.openMetrics === true) registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  }
  const name = 'http_request_duration_seconds';
  const help = 'Duration of HTTP requests in seconds, by method, route template and status code.';
  const theirs = new Histogram({
    name,
    help,
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets,
    registers: [registries[0]],
  });
  const ours = registerRequestDurationHistogram({ registry: registries[1], name, help, buckets });
  const record = (list: readonly Observation[]): void => {
    for (const [method, route, status, seconds] of list) {
      theirs.labels(method, route, status).observe(seconds);
      ours.series(method, route, status).observe(seconds);
    }
  };
  record(observations);
  return {
    theirs: registries[0],
    ours: registries[1],
    reset: () => {
      registries[0].resetMetrics();
      registries[1].resetMetrics();
    },
  };
}

async function expectSameScrape(pair: { theirs: AnyRegistry; ours: AnyRegistry }): Promise<void> {
  expect(await pair.ours.metrics()).to.equal(await pair.theirs.metrics());
  expect(await pair.ours.getMetricsAsJSON()).to.deep.equal(await pair.theirs.getMetricsAsJSON());
}

describe("request duration histogram: scraped exactly as prom-client's Histogram", () => {
  const observations: Observation[] = [
    ['GET', '/api/v1/items', '200', 0.0031],
    ['GET', '/api/v1/items', '200', 0.005],
    ['POST', '/api/v1/items', '201', 0.012],
    ['GET', '/api/v1/items/:id', '404', 0.3],
    ['GET', '/api/v1/items', '200', 12],
    ['GET', 'unmatched', '404', 0.0007],
    ['GET', '/a "quoted" \\ route\n', '500', 1],
  ];

  it('gives the same text and JSON for the same observations', async () => {
    await expectSameScrape(both(observations));
  });

  it('with default labels, in OpenMetrics, and with buckets of its own', async () => {
    await expectSameScrape(both(observations, { defaultLabels: { service: 'billing', region: 'eu' } }));
    await expectSameScrape(both(observations, { openMetrics: true }));
    await expectSameScrape(both(observations, { buckets: [0.001, 0.1, 1] }));
  });

  it('shows nothing before the first observation and after a reset, then again in the order of observation', async () => {
    const pair = both([]);
    await expectSameScrape(pair);
    expect(await pair.ours.metrics()).to.not.include('_bucket');
    const again = both(observations);
    again.reset();
    await expectSameScrape(again);
    expect(await again.ours.metrics()).to.not.include('_count');
  });

  it('keeps one series per label set however often it is asked for', async () => {
    const registry = new Registry();
    const histogram = registerRequestDurationHistogram({ registry, name: 'd', help: 'h', buckets: [1] });
    histogram.series('GET', '/x', '200').observe(0.5);
    histogram.series('GET', '/x', '200').observe(2);
    const text = await registry.metrics();
    expect(text).to.include('d_count{method="GET",route="/x",status_code="200"} 2');
    expect(text).to.include('d_bucket{le="1",method="GET",route="/x",status_code="200"} 1');
  });

  it('refuses a metric name prom-client refuses, with its words', () => {
    expect(() =>
      registerRequestDurationHistogram({ registry: new Registry(), name: 'bad-name', help: 'h', buckets: BUCKETS }),
    ).to.throw('Invalid metric name');
  });

  it('agrees with prom-client on any sequence of observations (property)', async () => {
    const label = fc.constantFrom('GET', 'POST', 'DELETE');
    const route = fc.constantFrom('/a', '/b/:id', 'unmatched');
    const status = fc.constantFrom('200', '201', '404', '500');
    const seconds = fc.oneof(fc.double({ min: 0, max: 20, noNaN: true }), fc.constantFrom(...BUCKETS), fc.constant(0));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(label, route, status, seconds), { maxLength: 60 }), async (list) => {
        await expectSameScrape(both(list));
      }),
      { numRuns: 100 },
    );
  });
});
