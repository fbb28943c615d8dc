import type { ProbeResponse } from '../client.js';
import { verdict, type ConformanceCheck } from '../check.js';

// The contract's exact values (docs/contract.md "Every response").
const REQUIRED_HEADERS: Readonly<Record<string, RegExp>> = {
  'x-content-type-options': /^nosniff$/i,
  'x-frame-options': /^DENY$/i,
  'x-xss-protection': /^0$/,
  'referrer-policy': /^strict-origin-when-cross-origin$/i,
  'permissions-policy': /camera=\(\).*microphone=\(\).*geolocation=\(\)/,
  'content-security-policy': /default-src 'none'/,
};
const HSTS = /max-age=31536000/i;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const FORGED_ID = 'conformance-forged-request-id';
const DISALLOWED_ORIGIN = 'https://conformance-disallowed.invalid';

function headerProblems(res: ProbeResponse, expectHsts: boolean | undefined): string[] {
  const problems: string[] = [];
  const at = `${res.method} ${res.path}`;
  for (const [name, pattern] of Object.entries(REQUIRED_HEADERS)) {
    const value = res.headers.get(name);
    if (value === null || !pattern.test(value))
      problems.push(`${at}: ${name} is ${value === null ? 'missing' : `"${value}"`}, expected ${String(pattern)}`);
  }
  if (res.headers.has('x-powered-by')) problems.push(`${at}: X-Powered-By is sent`);
  const hsts = res.headers.get('strict-transport-security');
  if (expectHsts === true && (hsts === null || !HSTS.test(hsts) || !/includeSubDomains/i.test(hsts))) {
    problems.push(
      `${at}: Strict-Transport-Security is ${hsts ?? 'missing'}, expected max-age=31536000; includeSubDomains in production`,
    );
  }
  if (expectHsts === false && hsts !== null)
    problems.push(`${at}: Strict-Transport-Security is sent outside production`);
  return problems;
}

const securityHeaders: ConformanceCheck = {
  id: 'security-headers',
  title: 'security headers on success and error responses',
  async run(ctx) {
    const expectHsts =
      ctx.options.expectHsts ??
      (ctx.facts.environment === undefined ? undefined : ctx.facts.environment === 'production');
    const ok = await ctx.client.send('GET', '/healthz');
    const missing = await ctx.client.send('GET', '/conformance-headers-unknown');
    return verdict([...headerProblems(ok, expectHsts), ...headerProblems(missing, expectHsts)]);
  },
};

function exposed(res: ProbeResponse): string[] {
  return (res.headers.get('access-control-expose-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());
}

const cors: ConformanceCheck = {
  id: 'cors',
  title: 'CORS answers the allowed origin, exposes X-Request-ID and X-Correlation-ID, refuses others',
  async run(ctx) {
    const origin = ctx.options.allowedOrigin;
    if (origin === undefined) return { skip: 'no allowedOrigin given' };
    const problems: string[] = [];
    const preflight = await ctx.client.send('OPTIONS', '/healthz', {
      headers: { origin, 'access-control-request-method': 'GET' },
    });
    if (preflight.status < 200 || preflight.status > 299)
      problems.push(`OPTIONS /healthz (preflight): status ${preflight.status}, expected 2xx`);
    if (preflight.headers.get('access-control-allow-origin') !== origin)
      problems.push(
        `OPTIONS /healthz (preflight): Access-Control-Allow-Origin is ${preflight.headers.get('access-control-allow-origin') ?? 'missing'}, expected ${origin}`,
      );
    const simple = await ctx.client.send('GET', '/healthz', { headers: { origin } });
    if (simple.headers.get('access-control-allow-origin') !== origin)
      problems.push(
        `GET /healthz with Origin: Access-Control-Allow-Origin is ${simple.headers.get('access-control-allow-origin') ?? 'missing'}, expected ${origin}`,
      );
    for (const header of ['x-request-id', 'x-correlation-id']) {
      if (!exposed(simple).includes(header))
        problems.push(`GET /healthz with Origin: Access-Control-Expose-Headers does not list ${header}`);
    }
    const other = await ctx.client.send('GET', '/healthz', { headers: { origin: DISALLOWED_ORIGIN } });
    const allowedOther = other.headers.get('access-control-allow-origin');
    if (allowedOther === DISALLOWED_ORIGIN || allowedOther === '*')
      problems.push(`GET /healthz from ${DISALLOWED_ORIGIN}: the origin is allowed (${allowedOther})`);
    return verdict(problems);
  },
};

const requestId: ConformanceCheck = {
  id: 'request-id',
  title: 'X-Request-ID (fresh UUID v4) on every response; X-Correlation-ID accepted only when well-formed',
  async run(ctx) {
    const problems: string[] = [];
    const forged = await ctx.client.send('GET', '/healthz', {
      headers: { 'x-request-id': FORGED_ID, 'x-correlation-id': 'conformance.corr-1' },
    });
    if (forged.headers.get('x-request-id') === FORGED_ID)
      problems.push('GET /healthz: an incoming X-Request-ID was echoed; it must be ignored');
    if (forged.headers.get('x-correlation-id') !== 'conformance.corr-1')
      problems.push(
        `GET /healthz: a valid X-Correlation-ID came back as ${forged.headers.get('x-correlation-id') ?? 'nothing'}`,
      );
    const bad = await ctx.client.send('GET', '/healthz', { headers: { 'x-correlation-id': 'not valid; has spaces' } });
    if (bad.headers.get('x-correlation-id') === 'not valid; has spaces')
      problems.push('GET /healthz: a malformed X-Correlation-ID was accepted');
    const seen = new Set<string>();
    for (const res of ctx.client.responses) {
      const id = res.headers.get('x-request-id');
      if (id === null || !UUID_V4.test(id))
        problems.push(
          `${res.method} ${res.path} (${res.status}): X-Request-ID is ${id ?? 'missing'}, expected a UUID v4`,
        );
      else if (seen.has(id)) problems.push(`${res.method} ${res.path}: X-Request-ID ${id} was used for two responses`);
      else seen.add(id);
    }
    return verdict(problems);
  },
};

/** The header checks; `request-id` last, as it inspects every response the run received. @internal */
export const headerChecks: readonly ConformanceCheck[] = [securityHeaders, cors, requestId];
