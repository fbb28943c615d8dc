import type { Request } from 'express';

/**
 * The `route` label of requests no route matched (404s, 405s): raw paths would explode cardinality.
 *
 * @example
 * // PromQL: share of traffic hitting no route
 * const query = `sum(rate(http_request_duration_seconds_count{route="${UNMATCHED_ROUTE}"}[5m]))`;
 */
export const UNMATCHED_ROUTE = 'unmatched';

const routeLabels = new WeakMap<Request, string>();

function templateOf(path: unknown): string {
  if (typeof path === 'string') return path;
  if (Array.isArray(path)) return path.map(templateOf).join('|');
  return String(path);
}

/**
 * Records the route template of a request at the moment the router matches it. Express restores
 * `req.baseUrl` when an error leaves a mounted router, so reading `req.baseUrl + req.route.path`
 * at the end of the request would name `/api/v1/entities/:id` just `/:id`; catching the
 * assignment of `req.route` sees the mount path that was current when the route matched.
 * @internal
 */
export function trackRoute(req: Request): void {
  let current: unknown = (req as { route?: unknown }).route;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set(route: { path?: unknown } | undefined) {
      current = route;
      if (route?.path !== undefined) routeLabels.set(req, `${req.baseUrl}${templateOf(route.path)}`);
    },
  });
}

/** The route template of a finished request, or {@link UNMATCHED_ROUTE}. @internal */
export function routeLabel(req: Request): string {
  return routeLabels.get(req) ?? UNMATCHED_ROUTE;
}
