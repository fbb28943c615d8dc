import type { Request } from 'express';
import { processWide } from '../context/process-wide.js';

/**
 * The `route` label of requests no route matched (404s, 405s): raw paths would explode cardinality.
 *
 * @example
 * // PromQL: share of traffic hitting no route
 * const query = `sum(rate(http_request_duration_seconds_count{route="${UNMATCHED_ROUTE}"}[5m]))`;
 */
export const UNMATCHED_ROUTE = 'unmatched';

const TRACKED = Symbol.for('@org/platform/route-tracking');

/** What the router matched for a request: the route, and its template with the mount path it had then. */
interface RouteMatch {
  readonly route: unknown;
  readonly label: string | undefined;
}

// Beside the request rather than on it: a property added to an Express request costs far more
// than a WeakMap entry (see http/response-closed.ts). One map per process, shared by every copy
// of the platform, since only the first copy installs the accessor.
const matches = processWide('route-matches', () => new WeakMap<object, RouteMatch>());

// The match of each route, worked out once per route and mount path (a router mounted in two
// places gives its routes two labels; the last one seen is kept). Requests share it: a young
// value for each request's entry in `matches` would outlive scavenges (see
// http/request-context.ts), a long-lived one costs the collector nothing.
const matchesOf = new WeakMap<object, RouteMatch & { readonly baseUrl: string }>();

function matchOf(route: { path?: unknown }, baseUrl: string): RouteMatch {
  const known = matchesOf.get(route);
  if (known !== undefined && known.baseUrl === baseUrl) return known;
  const match = { route, label: `${baseUrl}${templateOf(route.path)}`, baseUrl };
  matchesOf.set(route, match);
  return match;
}

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
 * The accessor is installed once on the app's request prototype: defining it on each request
 * would turn every request object into a slow dictionary-mode object.
 * @internal
 */
export function trackRoute(req: Request): void {
  const proto = Object.getPrototypeOf(req) as Record<symbol, unknown>;
  if (proto[TRACKED] === true) return;
  const matched = matches();
  Object.defineProperty(proto, 'route', {
    configurable: true,
    enumerable: true,
    get(this: object) {
      return matched.get(this)?.route;
    },
    set(this: { baseUrl: string }, route: { path?: unknown } | undefined) {
      // A later assignment without a path (Express clearing it) keeps the template already matched.
      matched.set(
        this,
        route?.path === undefined ? { route, label: matched.get(this)?.label } : matchOf(route, this.baseUrl),
      );
    },
  });
  Object.defineProperty(proto, TRACKED, { value: true });
}

/** The route template of a finished request, or {@link UNMATCHED_ROUTE}. @internal */
export function routeLabel(req: Request): string {
  return matches().get(req)?.label ?? UNMATCHED_ROUTE;
}
