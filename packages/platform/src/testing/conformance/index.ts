export { assertConformance } from './assert-conformance.js';
export { runConformanceCommand, type ConformanceCommandOptions } from './command.js';
export { ConformanceError, formatConformanceReport, isConformanceError } from './report.js';
export { runConformance } from './run-conformance.js';
export type {
  ConformanceCheckResult,
  ConformanceOptions,
  ConformanceReport,
  ConformanceStatus,
  ConformanceTarget,
  IdempotentRouteRef,
  OperationalRoute,
  RouteRef,
} from './types.js';
