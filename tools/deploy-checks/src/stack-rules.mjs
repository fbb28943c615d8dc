// What the compose files promise beyond the schema: the service is healthchecked on /healthz,
// published on loopback only, and stops gracefully; the gateway redirects HTTP to HTTPS, gets
// certificates from ACME, rate-limits by default, reads Docker through a socket proxy (never the
// raw socket) and routes exactly the service's public paths.

const SERVICE = 'entities-service';
const labelsOf = (s) => (Array.isArray(s?.labels) ? Object.fromEntries(s.labels.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])) : s?.labels ?? {});
const seconds = (d) => { const m = /^(\d+)(ms|s|m)?$/.exec(String(d ?? '')); return m ? Number(m[1]) * ({ ms: 0.001, s: 1, m: 60 }[m[2] ?? 's']) : NaN; };

/**
 * Rules for the local stack (compose.yml alone).
 * @param {Record<string, any>} compose merged model
 * @returns {string[]} problems
 */
export function checkServiceStack(compose) {
  const errors = [];
  const svc = compose.services?.[SERVICE];
  if (!svc) return [`no ${SERVICE} service`];
  if (svc.build?.dockerfile !== 'packages/service/Dockerfile') errors.push(`${SERVICE}: build.dockerfile must be packages/service/Dockerfile (context: the repository root)`);
  for (const arg of ['VERSION', 'GIT_COMMIT', 'BUILD_TIME']) if (!(arg in (svc.build?.args ?? {}))) errors.push(`${SERVICE}: build arg ${arg} missing`);
  const test = [].concat(svc.healthcheck?.test ?? []).join(' ');
  if (!/\/healthz/.test(test)) errors.push(`${SERVICE}: healthcheck must ask /healthz`);
  if (/\b(curl|wget)\b/.test(test)) errors.push(`${SERVICE}: healthcheck must not need curl or wget (the image has neither)`);
  for (const p of svc.ports ?? []) {
    const text = typeof p === 'string' ? p : `${p.host_ip ?? ''}:${p.published}:${p.target}`;
    if (!text.startsWith('127.0.0.1:')) errors.push(`${SERVICE}: port ${text} must be bound to 127.0.0.1 (the gateway is the public entry)`);
  }
  const env = svc.environment ?? {};
  const grace = seconds(svc.stop_grace_period ?? '10s');
  const needed = (Number(env.SHUTDOWN_DELAY_MS ?? 0) + Number(env.SHUTDOWN_TIMEOUT_MS ?? 0)) / 1000 + 5;
  if (!(grace >= needed)) errors.push(`${SERVICE}: stop_grace_period ${svc.stop_grace_period ?? '10s'} < SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS + 5 s (${needed} s)`);
  if (svc.privileged) errors.push(`${SERVICE}: must not be privileged`);
  if (svc.user && /^(root|0)(:|$)/.test(String(svc.user))) errors.push(`${SERVICE}: must not run as root`);
  return errors;
}

/**
 * Rules for the gateway stack (compose.yml + compose.gateway.yml).
 * @param {Record<string, any>} compose merged model
 * @returns {string[]} problems
 */
export function checkGatewayStack(compose) {
  const errors = [];
  const services = compose.services ?? {};
  const traefik = Object.entries(services).find(([, s]) => /(^|\/)traefik:/.test(s.image ?? ''));
  if (!traefik) return ['no traefik service'];
  const [tname, t] = traefik;
  if (!/traefik:v?3(\.|$)/.test(t.image)) errors.push(`${tname}: image ${t.image} is not Traefik v3`);
  const cmd = [].concat(t.command ?? []);
  const flag = (name) => cmd.find((c) => c.toLowerCase().startsWith(`--${name.toLowerCase()}=`))?.split('=').slice(1).join('=');
  if (flag('entrypoints.web.address') !== ':80' || flag('entrypoints.websecure.address') !== ':443') errors.push(`${tname}: entrypoints web :80 and websecure :443 required`);
  if (flag('entrypoints.web.http.redirections.entrypoint.to') !== 'websecure' || flag('entrypoints.web.http.redirections.entrypoint.scheme') !== 'https') errors.push(`${tname}: HTTP must redirect to HTTPS (entrypoints.web.http.redirections)`);
  if (flag('providers.docker.exposedbydefault') !== 'false') errors.push(`${tname}: providers.docker.exposedbydefault must be false`);
  const resolvers = new Set(cmd.map((c) => /^--certificatesresolvers\.([^.]+)\.acme\./i.exec(c)?.[1]).filter(Boolean));
  if (!resolvers.size) errors.push(`${tname}: no ACME certificate resolver`);
  for (const r of resolvers) {
    if (!flag(`certificatesresolvers.${r}.acme.email`)) errors.push(`${tname}: resolver ${r} has no ACME email`);
    if (!flag(`certificatesresolvers.${r}.acme.storage`)) errors.push(`${tname}: resolver ${r} has no storage`);
    if (flag(`certificatesresolvers.${r}.acme.tlschallenge`) !== 'true' && !flag(`certificatesresolvers.${r}.acme.httpchallenge.entrypoint`)) errors.push(`${tname}: resolver ${r} has no challenge`);
  }
  for (const v of t.volumes ?? []) {
    const source = typeof v === 'string' ? v.split(':')[0] : v.source;
    if (/docker\.sock$/.test(source ?? '')) errors.push(`${tname}: mounts the raw Docker socket; go through the socket proxy`);
  }
  const endpoint = flag('providers.docker.endpoint') ?? '';
  const proxyName = /^tcp:\/\/([^:/]+)/.exec(endpoint)?.[1];
  const proxy = proxyName && services[proxyName];
  if (!proxy) errors.push(`${tname}: providers.docker.endpoint must point at a socket-proxy service (got "${endpoint}")`);
  else {
    const env = proxy.environment ?? {};
    if (String(env.POST ?? '0') !== '0') errors.push(`${proxyName}: POST must be 0 (read-only Docker API)`);
    if (String(env.CONTAINERS) !== '1') errors.push(`${proxyName}: CONTAINERS must be 1 (Traefik reads container labels)`);
    if (!(proxy.volumes ?? []).some((v) => String(typeof v === 'string' ? v : `${v.source}:${v.target}:${v.read_only ? 'ro' : ''}`).endsWith(':ro'))) errors.push(`${proxyName}: the Docker socket must be mounted read-only`);
    const proxyNets = Object.keys(Array.isArray(proxy.networks) ? Object.fromEntries(proxy.networks.map((n) => [n, 1])) : proxy.networks ?? {});
    if (!proxyNets.every((n) => compose.networks?.[n]?.internal === true)) errors.push(`${proxyName}: must sit only on internal networks`);
  }
  const labels = labelsOf(services[SERVICE]);
  const routers = [...new Set(Object.keys(labels).map((k) => /^traefik\.http\.routers\.([^.]+)\./.exec(k)?.[1]).filter(Boolean))];
  if (!routers.length) errors.push(`${SERVICE}: no Traefik router labels`);
  for (const r of routers) {
    const rule = labels[`traefik.http.routers.${r}.rule`] ?? '';
    for (const path of ['PathPrefix(`/api/v1`)', 'Path(`/healthz`)', 'Path(`/readyz`)', 'Path(`/version`)']) if (!rule.includes(path)) errors.push(`router ${r}: rule does not route ${path}`);
    if (/metrics|docs/.test(rule)) errors.push(`router ${r}: /metrics and /docs stay private`);
    const mws = (labels[`traefik.http.routers.${r}.middlewares`] ?? '').split(',').filter(Boolean);
    if (!mws.some((m) => Object.keys(labels).some((k) => k.toLowerCase().startsWith(`traefik.http.middlewares.${m.toLowerCase()}.ratelimit.`)))) errors.push(`router ${r}: no rate-limit middleware attached (rate limiting is on by default)`);
    if (!labels[`traefik.http.routers.${r}.tls.certresolver`] && !labels[`traefik.http.routers.${r}.tls`]) errors.push(`router ${r}: no TLS`);
  }
  return errors;
}
