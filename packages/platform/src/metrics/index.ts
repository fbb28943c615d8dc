export { createMetrics, type Metrics, type MetricsOptions } from './metrics.js';
export { UNMATCHED_ROUTE } from './route-label.js';
