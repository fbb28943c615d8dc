// What the compose files promise beyond the schema: the service is healthchecked on /healthz,
// published on loopback only, and stops gracefully; the gateway redirects HTTP to HTTPS, gets
// certificates from ACME, rate-limits by default, reads Docker through a socket proxy (never the
// raw socket) and routes exactly the service's public paths.

const SERVICE = 'entities-service';
const labelsOf = (s) =>
  Array.isArray(s?.labels)
    ? Object.fromEntries(s.labels.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
    : (s?.labels ?? {});
const seconds = (d) => {
  const m = /^(\d+)(ms|s|m)?$/.exec(String(d ?? ''));
  return m ? Number(m[1]) * { ms: 0.001, s: 1, m: 60 }[m[2] ?? 's'] : NaN;
};

/**
 * Rules for one service of the local stack (compose.yml alone).
 * @param {Record<string, any>} compose merged model
 * @param {{ service?: string, dockerfile?: string }} [which] the service and its Dockerfile (default: the entities service)
 * @returns {string[]} problems
 */
export function checkServiceStack(
  compose,
  { service: SERVICE = 'entities-service', dockerfile = 'packages/service/Dockerfile' } = {},
) {
  const errors = [];
  const svc = compose.services?.[SERVICE];
  if (!svc) return [`no ${SERVICE} service`];
  if (svc.build?.dockerfile !== dockerfile)
    errors.push(`${SERVICE}: build.dockerfile must be ${dockerfile} (context: the repository root)`);
  for (const arg of ['VERSION', 'GIT_COMMIT', 'BUILD_TIME'])
    if (!(arg in (svc.build?.args ?? {}))) errors.push(`${SERVICE}: build arg ${arg} missing`);
  const test = [].concat(svc.healthcheck?.test ?? []).join(' ');
  if (!/\/healthz/.test(test)) errors.push(`${SERVICE}: healthcheck must ask /healthz`);
  if (/\b(curl|wget)\b/.test(test))
    errors.push(`${SERVICE}: healthcheck must not need curl or wget (the image has neither)`);
  for (const p of svc.ports ?? []) {
    const text = typeof p === 'string' ? p : `${p.host_ip ?? ''}:${p.published}:${p.target}`;
    if (!text.startsWith('127.0.0.1:'))
      errors.push(`${SERVICE}: port ${text} must be bound to 127.0.0.1 (the gateway is the public entry)`);
  }
  const env = svc.environment ?? {};
  const grace = seconds(svc.stop_grace_period ?? '10s');
  const needed = (Number(env.SHUTDOWN_DELAY_MS ?? 0) + Number(env.SHUTDOWN_TIMEOUT_MS ?? 0)) / 1000 + 5;
  if (!(grace >= needed))
    errors.push(
      `${SERVICE}: stop_grace_period ${svc.stop_grace_period ?? '10s'} < SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS + 5 s (${needed} s)`,
    );
  if (svc.privileged) errors.push(`${SERVICE}: must not be privileged`);
  if (svc.user && /^(root|0)(:|$)/.test(String(svc.user))) errors.push(`${SERVICE}: must not run as root`);
  // The image runs as production unless told otherwise; the local stack says so.
  if (env.ENVIRONMENT !== 'local')
    errors.push(
      `${SERVICE}: ENVIRONMENT must default to local in the local stack (the image defaults to production), got "${env.ENVIRONMENT ?? ''}"`,
    );
  return errors;
}

const IMAGE_UID = '10001';

/**
 * Rules for the service as deployed with compose (compose.yml + compose.gateway.yml +
 * compose.production.yml): production mode, every secret as a file from a Docker secret the
 * image's user can read, no secret in the environment.
 * @param {Record<string, any>} compose merged model
 * @param {{ secrets: string[], fileVariables: Map<string, string> }} config from serviceConfigVariables
 * @param {string} [SERVICE] the service (default: the entities service)
 * @returns {string[]} problems
 */
export function checkProductionStack(compose, config, SERVICE = 'entities-service') {
  const errors = [];
  const svc = compose.services?.[SERVICE];
  if (!svc) return [`no ${SERVICE} service`];
  const env = Array.isArray(svc.environment)
    ? Object.fromEntries(svc.environment.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]))
    : (svc.environment ?? {});
  if (env.ENVIRONMENT !== 'production')
    errors.push(`${SERVICE}: ENVIRONMENT must be production, got "${env.ENVIRONMENT ?? ''}"`);
  for (const name of config.secrets)
    if (env[name])
      errors.push(`${SERVICE}: secret ${name} is set in the environment; give it as ${name}_FILE from a Docker secret`);
  const mounted = new Map(
    (svc.secrets ?? [])
      .map((s) => (typeof s === 'string' ? { source: s } : s))
      .map((s) => [s.target?.startsWith('/') ? s.target : `/run/secrets/${s.target ?? s.source}`, s]),
  );
  const files = Object.entries(env).filter(([name, value]) => name.endsWith('_FILE') && value);
  if (!files.length) errors.push(`${SERVICE}: no secret given as a file (NAME_FILE)`);
  for (const [name, path] of files) {
    if (!config.fileVariables.has(name))
      errors.push(
        `${SERVICE}: ${name} is not a variable the service reads (accepting a file: ${[...config.fileVariables.keys()].join(', ')})`,
      );
    const secret = mounted.get(path);
    if (!secret) {
      errors.push(`${SERVICE}: ${name}=${path} is not a secret the service mounts`);
      continue;
    }
    const declared = compose.secrets?.[secret.source];
    if (!declared || !(declared.file || declared.environment || declared.external))
      errors.push(`${SERVICE}: secret ${secret.source} is not declared with a file, environment or external source`);
    const othersRead = secret.mode !== undefined && (Number(secret.mode) & 0o004) !== 0;
    if (String(secret.uid ?? '') !== IMAGE_UID && !othersRead)
      errors.push(
        `${SERVICE}: secret ${secret.source} must be readable by the image user (uid: "${IMAGE_UID}"); compose makes it root-only by default`,
      );
  }
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
  // The change request this gateway implements names Traefik 3.6: nothing older.
  const version = /traefik:v?(\d+)\.(\d+)/.exec(t.image);
  if (!version || Number(version[1]) !== 3 || Number(version[2]) < 6)
    errors.push(`${tname}: image ${t.image} is not Traefik v3.6 or a later v3`);
  const cmd = [].concat(t.command ?? []);
  const flag = (name) =>
    cmd
      .find((c) => c.toLowerCase().startsWith(`--${name.toLowerCase()}=`))
      ?.split('=')
      .slice(1)
      .join('=');
  if (flag('entrypoints.web.address') !== ':80' || flag('entrypoints.websecure.address') !== ':443')
    errors.push(`${tname}: entrypoints web :80 and websecure :443 required`);
  if (
    flag('entrypoints.web.http.redirections.entrypoint.to') !== 'websecure' ||
    flag('entrypoints.web.http.redirections.entrypoint.scheme') !== 'https'
  )
    errors.push(`${tname}: HTTP must redirect to HTTPS (entrypoints.web.http.redirections)`);
  if (flag('providers.docker.exposedbydefault') !== 'false')
    errors.push(`${tname}: providers.docker.exposedbydefault must be false`);
  const resolvers = new Set(cmd.map((c) => /^--certificatesresolvers\.([^.]+)\.acme\./i.exec(c)?.[1]).filter(Boolean));
  if (!resolvers.size) errors.push(`${tname}: no ACME certificate resolver`);
  for (const r of resolvers) {
    if (!flag(`certificatesresolvers.${r}.acme.email`)) errors.push(`${tname}: resolver ${r} has no ACME email`);
    if (!flag(`certificatesresolvers.${r}.acme.storage`)) errors.push(`${tname}: resolver ${r} has no storage`);
    if (
      flag(`certificatesresolvers.${r}.acme.tlschallenge`) !== 'true' &&
      !flag(`certificatesresolvers.${r}.acme.httpchallenge.entrypoint`)
    )
      errors.push(`${tname}: resolver ${r} has no challenge`);
  }
  for (const v of t.volumes ?? []) {
    const source = typeof v === 'string' ? v.split(':')[0] : v.source;
    if (/docker\.sock$/.test(source ?? ''))
      errors.push(`${tname}: mounts the raw Docker socket; go through the socket proxy`);
  }
  const endpoint = flag('providers.docker.endpoint') ?? '';
  const proxyName = /^tcp:\/\/([^:/]+)/.exec(endpoint)?.[1];
  const proxy = proxyName && services[proxyName];
  if (!proxy)
    errors.push(`${tname}: providers.docker.endpoint must point at a socket-proxy service (got "${endpoint}")`);
  else {
    const env = proxy.environment ?? {};
    if (String(env.POST ?? '0') !== '0') errors.push(`${proxyName}: POST must be 0 (read-only Docker API)`);
    if (String(env.CONTAINERS) !== '1')
      errors.push(`${proxyName}: CONTAINERS must be 1 (Traefik reads container labels)`);
    if (
      !(proxy.volumes ?? []).some((v) =>
        String(typeof v === 'string' ? v : `${v.source}:${v.target}:${v.read_only ? 'ro' : ''}`).endsWith(':ro'),
      )
    )
      errors.push(`${proxyName}: the Docker socket must be mounted read-only`);
    const proxyNets = Object.keys(
      Array.isArray(proxy.networks) ? Object.fromEntries(proxy.networks.map((n) => [n, 1])) : (proxy.networks ?? {}),
    );
    if (!proxyNets.every((n) => compose.networks?.[n]?.internal === true))
      errors.push(`${proxyName}: must sit only on internal networks`);
  }
  // Every routed service: rate-limited, TLS, never /metrics or /docs. The entities service also
  // carries the fleet's public operational routes.
  const routed = Object.entries(services).filter(([, s]) => String(labelsOf(s)['traefik.enable']) === 'true');
  if (!routed.some(([name]) => name === SERVICE)) errors.push(`${SERVICE}: no Traefik router labels`);
  for (const [name, service] of routed) {
    const labels = labelsOf(service);
    const routers = [
      ...new Set(
        Object.keys(labels)
          .map((k) => /^traefik\.http\.routers\.([^.]+)\./.exec(k)?.[1])
          .filter(Boolean),
      ),
    ];
    if (!routers.length) errors.push(`${name}: no Traefik router labels`);
    for (const r of routers) {
      const rule = labels[`traefik.http.routers.${r}.rule`] ?? '';
      const paths =
        name === SERVICE
          ? ['PathPrefix(`/api/v1`)', 'Path(`/healthz`)', 'Path(`/readyz`)', 'Path(`/version`)']
          : ['PathPrefix(`/api/v1/'];
      for (const path of paths) if (!rule.includes(path)) errors.push(`router ${r}: rule does not route ${path}`);
      if (/metrics|docs/.test(rule)) errors.push(`router ${r}: /metrics and /docs stay private`);
      const mws = (labels[`traefik.http.routers.${r}.middlewares`] ?? '').split(',').filter(Boolean);
      if (
        !mws.some((m) =>
          Object.keys(labels).some((k) =>
            k.toLowerCase().startsWith(`traefik.http.middlewares.${m.toLowerCase()}.ratelimit.`),
          ),
        )
      )
        errors.push(`router ${r}: no rate-limit middleware attached (rate limiting is on by default)`);
      if (!labels[`traefik.http.routers.${r}.tls.certresolver`] && !labels[`traefik.http.routers.${r}.tls`])
        errors.push(`router ${r}: no TLS`);
    }
  }
  return errors;
}
