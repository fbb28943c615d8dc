// Traefik v3 labels on compose services: rule syntax (v3 matchers), router -> service,
// middleware and entrypoint references, and middleware bodies checked against the Middleware
// CRD schema from @kubernetes-models/traefik (same shape as a dynamic-config middleware).
// No traefik binary or image is available here, so this is as far as static checks go.
import { Middleware } from '@kubernetes-models/traefik/traefik.io/v1alpha1/Middleware';

const MATCHERS = [
  'Host',
  'HostRegexp',
  'Path',
  'PathPrefix',
  'PathRegexp',
  'Method',
  'Header',
  'HeaderRegexp',
  'Query',
  'QueryRegexp',
  'ClientIP',
];
const ROUTER_KEYS = ['rule', 'service', 'entryPoints', 'middlewares', 'tls', 'priority', 'ruleSyntax', 'observability'];
// Label keys are case-insensitive; canonical spellings for the ones we read.
const CANON = Object.fromEntries(
  [
    'loadBalancer',
    'entryPoints',
    'certResolver',
    'passHostHeader',
    'healthCheck',
    'rateLimit',
    'stripPrefix',
    'redirectScheme',
    'inFlightReq',
    'ipAllowList',
    'basicAuth',
    'forwardAuth',
    'headers',
    'compress',
    'buffering',
    'retry',
    'chain',
    'addPrefix',
    'replacePath',
    'replacePathRegex',
    'redirectRegex',
    'stripPrefixRegex',
    'circuitBreaker',
    'errors',
    'contentType',
    'passTLSClientCert',
    'plugin',
    'grpcWeb',
    'digestAuth',
  ].map((k) => [k.toLowerCase(), k]),
);
const canon = (key) => CANON[key.toLowerCase()] ?? key;

/** Checks one Traefik v3 rule; returns problems. */
export function checkRule(rule, where) {
  const errors = [];
  const reduced = rule.replace(/\b([A-Za-z]+)\(\s*`[^`]*`(\s*,\s*`[^`]*`)*\s*\)/g, (m, name) => {
    if (!MATCHERS.includes(name))
      errors.push(`${where}: unknown matcher ${name}() (v3 matchers: ${MATCHERS.join(', ')})`);
    const values = (m.match(/`[^`]*`/g) ?? []).length;
    const wanted = /^(Header|Query)/.test(name) ? 2 : 1;
    if (MATCHERS.includes(name) && values !== wanted)
      errors.push(`${where}: ${name}() takes ${wanted} value(s) in v3, got ${values}`);
    return ' M ';
  });
  if (/[A-Za-z]+\(/.test(reduced)) {
    errors.push(`${where}: malformed or unclosed matcher in ${rule}`);
    return errors;
  }
  const tokens = reduced
    .replace(/&&|\|\||[!()]|M/g, ' $& ')
    .trim()
    .split(/\s+/);
  let depth = 0;
  let expectOperand = true;
  for (const t of tokens) {
    if (t === '(') {
      if (!expectOperand) return [...errors, `${where}: missing && or || before (`];
      depth++;
    } else if (t === ')') {
      depth--;
      if (expectOperand || depth < 0) return [...errors, `${where}: unbalanced parentheses`];
    } else if (t === '!') {
      if (!expectOperand) return [...errors, `${where}: misplaced !`];
    } else if (t === '&&' || t === '||') {
      if (expectOperand) return [...errors, `${where}: dangling ${t}`];
      expectOperand = true;
    } else if (t === 'M') {
      if (!expectOperand) return [...errors, `${where}: missing && or || between matchers`];
      expectOperand = false;
    } else return [...errors, `${where}: unexpected token "${t}" in rule`];
  }
  if (expectOperand || depth !== 0) errors.push(`${where}: incomplete rule`);
  return errors;
}

function labelsOf(service) {
  const labels = service.labels ?? {};
  return Array.isArray(labels)
    ? Object.fromEntries(
        labels.map((l) => {
          const i = l.indexOf('=');
          return [l.slice(0, i), l.slice(i + 1)];
        }),
      )
    : labels;
}

function setPath(target, keys, value) {
  let node = target;
  for (const k of keys.slice(0, -1)) node = node[k] ??= {};
  node[keys.at(-1)] = value;
}

const scalar = (v) =>
  typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v;
const scalars = (o) =>
  o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, scalars(v)])) : scalar(o);

/**
 * Checks the Traefik labels of a merged compose model.
 * @param {{ compose: Record<string, any>, entryPoints?: string[] }} options entry points the static config defines
 * @returns {string[]} problems
 */
export function checkTraefikLabels({ compose, entryPoints }) {
  const errors = [];
  const http = { routers: {}, services: {}, middlewares: {} };
  for (const [name, service] of Object.entries(compose.services ?? {})) {
    const labels = labelsOf(service);
    if (String(labels['traefik.enable']) !== 'true') continue;
    for (const [key, value] of Object.entries(labels)) {
      const parts = key.split('.');
      if (parts[0] !== 'traefik' || parts[1] !== 'http') continue;
      const kind = parts[2]?.toLowerCase();
      if (!['routers', 'services', 'middlewares'].includes(kind) || parts.length < 5) {
        errors.push(`${name}: label ${key} is not traefik.http.<routers|services|middlewares>.<name>.<option>`);
        continue;
      }
      setPath(http, [kind, parts[3], ...parts.slice(4).map(canon)], String(value));
    }
  }
  for (const [name, router] of Object.entries(http.routers)) {
    for (const key of Object.keys(router))
      if (!ROUTER_KEYS.includes(key)) errors.push(`router ${name}: unknown key ${key}`);
    if (!router.rule) errors.push(`router ${name}: missing rule`);
    else errors.push(...checkRule(router.rule, `router ${name}`));
    for (const m of (router.middlewares ?? '').split(',').filter(Boolean))
      if (!m.includes('@') && !http.middlewares[m]) errors.push(`router ${name}: middleware ${m} not defined`);
    if (router.service && !router.service.includes('@') && !http.services[router.service])
      errors.push(`router ${name}: service ${router.service} not defined`);
    if (!router.service && Object.keys(http.services).length !== 1)
      errors.push(`router ${name}: no service and not exactly one service to default to`);
    for (const ep of (router.entryPoints ?? '').split(',').filter(Boolean))
      if (entryPoints && !entryPoints.includes(ep))
        errors.push(`router ${name}: entrypoint ${ep} is not defined (${entryPoints.join(', ')})`);
  }
  for (const [name, body] of Object.entries(http.middlewares)) {
    const spec = scalars(body);
    if (spec.stripPrefix && typeof spec.stripPrefix.prefixes === 'string')
      spec.stripPrefix.prefixes = spec.stripPrefix.prefixes.split(',');
    try {
      new Middleware({ metadata: { name }, spec }).validate();
    } catch (error) {
      errors.push(`middleware ${name}: ${error.message}`);
    }
    for (const type of Object.keys(spec))
      if (!Object.values(CANON).includes(type)) errors.push(`middleware ${name}: unknown middleware type ${type}`);
  }
  for (const [name, service] of Object.entries(http.services)) {
    const lb = service.loadBalancer;
    if (!lb) {
      errors.push(`service ${name}: only loadBalancer services are checked`);
      continue;
    }
    if (lb.server?.port !== undefined && !/^\d+$/.test(lb.server.port))
      errors.push(`service ${name}: loadBalancer.server.port must be a number`);
    if (lb.healthCheck?.path !== undefined && !lb.healthCheck.path.startsWith('/'))
      errors.push(`service ${name}: healthCheck.path must start with /`);
  }
  return errors;
}

/** The entry point names a Traefik container defines with --entrypoints.<name>.address flags. */
export function entryPointsFromCommand(command = []) {
  const list = Array.isArray(command) ? command : String(command).split(/\s+/);
  return [...new Set(list.map((arg) => /^--entry[pP]oints\.([^.]+)\.address=/.exec(arg)?.[1]).filter(Boolean))];
}
