import { UsageError } from '../command/usage-error.js';

/** One service to inventory: a name, its base URL, and what its conformance run needs. */
export interface FleetTarget {
  readonly name: string;
  /** Base URL, `/version` is read below it: `https://orders.internal.example.com`. */
  readonly url: string;
  /** A route that needs a token (`GET /api/v1/orders`), for the conformance run's missing-auth check. */
  readonly protected?: string;
  /** An origin the service allows for CORS, for the conformance run's CORS check. */
  readonly origin?: string;
}

/**
 * Checks a base URL (http or https, nothing after the path) and returns it without a trailing slash.
 *
 * @example
 * baseUrl('http://127.0.0.1:8000/', 'argument 1'); // 'http://127.0.0.1:8000'
 */
export function baseUrl(text: string, where: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${where}: not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${where}: not an http(s) URL: ${text}`);
  if (url.search !== '' || url.hash !== '')
    throw new UsageError(`${where}: a base URL has no query or fragment: ${text}`);
  return url.href.replace(/\/+$/, '');
}

/**
 * A target from a base URL given on the command line; its name is the URL's host.
 *
 * @example
 * targetFromUrl('http://127.0.0.1:8000'); // { name: '127.0.0.1:8000', url: 'http://127.0.0.1:8000' }
 */
export function targetFromUrl(text: string): FleetTarget {
  const url = baseUrl(text, 'base URL');
  return { name: new URL(url).host, url };
}

/**
 * The targets without repeats: one service named the same, at the same URL, read from two files
 * (a `fleet.yaml` and a `catalog-info.yaml`) or given twice, is one service. Its conformance
 * options come from the first mention that has them.
 *
 * @example
 * uniqueTargets([{ name: 'orders', url }, { name: 'orders', url, protected: 'GET /api/v1/orders' }]); // one, with protected
 */
export function uniqueTargets(targets: readonly FleetTarget[]): FleetTarget[] {
  const byKey = new Map<string, FleetTarget>();
  for (const target of targets) {
    const key = `${target.name}\u0000${target.url}`;
    const seen = byKey.get(key);
    if (seen === undefined) {
      byKey.set(key, target);
      continue;
    }
    const protectedRoute = seen.protected ?? target.protected;
    const origin = seen.origin ?? target.origin;
    byKey.set(key, {
      name: seen.name,
      url: seen.url,
      ...(protectedRoute === undefined ? {} : { protected: protectedRoute }),
      ...(origin === undefined ? {} : { origin }),
    });
  }
  return [...byKey.values()];
}
