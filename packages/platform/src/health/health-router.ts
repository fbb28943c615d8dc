import { Router, type Request, type Response } from 'express';
import type { PlatformConfig } from '../config/platform-fields.js';
import { usedDeprecations } from '../deprecation/index.js';
import { setAccessLogLevel } from '../http/access-log.js';
import { noStore } from '../http/no-store.js';
import type { Health } from './health.js';
import { platformVersion } from './platform-version.js';

/** The config fields `/version` reports; missing ones show as `unknown`. */
export type VersionConfig = Partial<
  Pick<PlatformConfig, 'SERVICE_NAME' | 'SERVICE_VERSION' | 'GIT_COMMIT' | 'BUILD_TIME' | 'ENVIRONMENT'>
>;

/** The body of `/version`. */
export interface VersionInfo {
  readonly service_name: string;
  readonly version: string;
  readonly commit: string;
  readonly build_time: string;
  readonly environment: string;
  /** The `@org/platform` version the service runs on: a fleet's upgrade progress at a glance. */
  readonly platform_version: string;
  readonly node_version: string;
  /**
   * The `ORG_PLATFORM_DEPnnn` codes of the deprecated platform APIs this process has used, in
   * order of first use (`[]` when none): what a fleet inventory (`org-platform fleet`) shows, so
   * the next major can be planned from outside.
   */
  readonly deprecations: readonly string[];
}

/** Options of {@link createHealthRouter}. */
export interface HealthRouterOptions {
  readonly health: Health;
  readonly config: VersionConfig;
}

/**
 * Builds the `/version` body. Nothing in it changes while the process runs except
 * `deprecations`, which lists the codes used so far (`/version` reads it on every request).
 *
 * @example
 * logger.info('service_started', { ...versionInfo(config) });
 */
export function versionInfo(config: VersionConfig): VersionInfo {
  return Object.freeze({
    service_name: config.SERVICE_NAME ?? 'unknown',
    version: config.SERVICE_VERSION ?? 'unknown',
    commit: config.GIT_COMMIT ?? 'unknown',
    build_time: config.BUILD_TIME ?? 'unknown',
    environment: config.ENVIRONMENT ?? 'unknown',
    platform_version: platformVersion(),
    node_version: process.versions.node,
    deprecations: Object.freeze([...usedDeprecations()]),
  });
}

/** The paths {@link createHealthRouter} answers. @internal */
export const HEALTH_PATHS = ['/healthz', '/readyz', '/version'] as const;

/**
 * The operational routes of docs/contract.md, all `Cache-Control: no-store` and without auth:
 * `GET /healthz` (liveness: touches nothing, 200 even while shutting down), `GET /readyz`
 * (readiness: 200 `ready`/`degraded`, 503 `not_ready`), `GET /version`.
 *
 * @example
 * app.use(createHealthRouter({ health, config }));
 */
export function createHealthRouter(options: HealthRouterOptions): Router {
  const { health } = options;
  const version = versionInfo(options.config);
  const router = Router();
  router.get('/healthz', noStore, function healthz(_req: Request, res: Response) {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', noStore, async function readyz(_req: Request, res: Response) {
    const report = await health.check();
    // 503 while starting or stopping is readiness doing its job (a probe's line, like a 200);
    // 503 from a failed check is worth a warning, never an error of the service.
    if (report.status === 'not_ready') setAccessLogLevel(res, report.reason === undefined ? 'warn' : 'debug');
    res.status(report.status === 'not_ready' ? 503 : 200).json(report);
  });
  router.get('/version', noStore, function version_(_req: Request, res: Response) {
    // A deprecated API may first be used after start (a route built lazily): read the codes now.
    res.json({ ...version, deprecations: usedDeprecations() });
  });
  return router;
}
