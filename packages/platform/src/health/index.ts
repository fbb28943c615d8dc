export { createHealth, type CheckReport, type Health, type HealthCheckOptions, type HealthOptions, type HealthPhase, type ReadinessReport } from './health.js';
export { createHealthRouter, versionInfo, type HealthRouterOptions, type VersionConfig, type VersionInfo } from './health-router.js';
export type { HealthCheckFn } from './run-check.js';
