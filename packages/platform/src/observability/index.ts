export { initObservability, type ErrorReportContext, type Observability, type ObservabilityOptions } from './observability.js';
