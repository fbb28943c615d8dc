import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { deprecatedCalls } from '../deprecation/index.js';
import { onResponseClosed } from '../http/response-closed.js';
import { routeLabel, trackRoute } from './route-label.js';
import { registerRequestDurationHistogram, type DurationSeries } from './request-duration-histogram.js';
import { registerRunningTotal } from './running-total.js';
import { registerWriteOutcomeMetrics } from './write-outcome-metrics.js';

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Prefix of every metric name (e.g. `billing_`). @default '' */
  readonly prefix?: string;
  /** Collect prom-client's default process metrics (CPU, memory, event loop lag, GC). @default true */
  readonly defaultMetrics?: boolean;
  /** Buckets of the request duration histogram, in seconds. @default [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] */
  readonly buckets?: readonly number[];
  /** Labels added to every metric (e.g. `{ service: 'billing' }`). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** One app's metrics: its own registry, the request middleware and the `/metrics` handler. */
export interface Metrics {
  /** This app's registry: register the service's own metrics here (`registers: [metrics.registry]`). */
  readonly registry: Registry;
  /** The prefix of every metric name ({@link MetricsOptions.prefix}): give the service's own metrics the same. */
  readonly prefix: string;
  /** Times every request; mount early (the pipeline puts it right after the access log). */
  readonly middleware: RequestHandler;
  /** Answers `GET /metrics` in the Prometheus text format. */
  readonly handler: RequestHandler;
}

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Creates request metrics on a registry of their own (never prom-client's global one, so two
 * apps in one process, or two tests, never share or double-register series):
 * `http_request_duration_seconds{method,route,status_code}` (route is the template such as
 * `/api/v1/entities/:id`, or `unmatched`), `http_requests_in_flight`,
 * `platform_deprecated_api_calls_total{code}` (calls of deprecated platform APIs in this process,
 * by `ORG_PLATFORM_DEPnnn` code), the counts of retried and conditional writes
 * (`idempotency_replays_total`, `idempotency_key_conflicts_total`, `precondition_failures_total`),
 * and the default process metrics.
 *
 * @example
 * const metrics = createMetrics({ prefix: 'billing_' });
 * const invoices = new Counter({ name: 'invoices_total', help: 'Invoices created', registers: [metrics.registry] });
 * const app = createServiceApp({ config, logger, metrics, routes });
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const prefix = options.prefix ?? '';
  const registry = new Registry();
  if (options.labels !== undefined) registry.setDefaultLabels({ ...options.labels });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix });

  const duration = registerRequestDurationHistogram({
    registry,
    name: `${prefix}http_request_duration_seconds`,
    help: 'Duration of HTTP requests in seconds, by method, route template and status code.',
    buckets: options.buckets ?? DEFAULT_BUCKETS,
  });
  // A plain count read at scrape time: two gauge updates per request cost more than the request's histogram entry.
  let inFlight = 0;
  new Gauge({
    name: `${prefix}http_requests_in_flight`,
    help: 'HTTP requests being served right now.',
    registers: [registry],
    collect() {
      this.set(inFlight);
    },
  });

  // Counted process-wide by the deprecated APIs themselves (no registry at hand there).
  registerRunningTotal({
    registry,
    name: `${prefix}platform_deprecated_api_calls_total`,
    help: 'Calls of deprecated @org/platform APIs in this process, by ORG_PLATFORM_DEPnnn code (UPGRADING.md lists them).',
    labelNames: ['code'],
    read: () => [...deprecatedCalls()].map(([code, count]) => [{ code }, count] as const),
  });
  registerWriteOutcomeMetrics(registry, prefix);

  // The histogram's series per label set, made once and found by route, status and method without
  // building a key or a labels object per request (route labels are the same strings each time).
  const children = new Map<string, Map<number, Map<string, DurationSeries>>>();
  function childFor(method: string, route: string, status: number): DurationSeries {
    let byStatus = children.get(route);
    if (byStatus === undefined) children.set(route, (byStatus = new Map<number, Map<string, DurationSeries>>()));
    let byMethod = byStatus.get(status);
    if (byMethod === undefined) byStatus.set(status, (byMethod = new Map<string, DurationSeries>()));
    let child = byMethod.get(method);
    if (child === undefined) byMethod.set(method, (child = duration.series(method, route, String(status))));
    return child;
  }

  function metricsMiddleware(req: Request, res: Response, next: NextFunction): void {
    trackRoute(req);
    inFlight += 1;
    const start = performance.now();
    // 'close' follows 'finish' on every response (and comes alone when the client hung up): one listener.
    onResponseClosed(res, function recordRequestMetrics() {
      inFlight -= 1;
      // A client that hung up before the response: 499 is nginx's well-known "client closed request".
      const status = res.writableFinished ? res.statusCode : 499;
      childFor(req.method, routeLabel(req), status).observe((performance.now() - start) / 1000);
    });
    next();
  }

  async function metricsHandler(_req: Request, res: Response): Promise<void> {
    const body = await registry.metrics();
    res.setHeader('Cache-Control', 'no-store');
    res.type(registry.contentType).send(body);
  }

  return { registry, prefix, middleware: metricsMiddleware, handler: metricsHandler };
}
