/** Query string values; `undefined` entries are left out. */
export type QueryParams = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * The URL of a call: the configured base plus a path that must start with one "/", plus the
 * query. Paths are relative to the base so a call can never leave its upstream (the SSRF rule):
 * absolute URLs, protocol-relative paths and anything that resolves to another origin throw.
 * @internal
 */
export function buildUrl(base: URL, path: string, query: QueryParams | undefined): URL {
  if (!path.startsWith('/') || path.startsWith('//'))
    throw new TypeError(`request path must start with a single "/", got ${JSON.stringify(path)}`);
  const url = new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}${path}`);
  if (url.origin !== base.origin) throw new TypeError('request path must not change the upstream origin');
  for (const [name, value] of Object.entries(query ?? {}))
    if (value !== undefined) url.searchParams.append(name, String(value));
  return url;
}
