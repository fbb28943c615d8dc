// Compose files the way `docker compose config` reads them: interpolation (with .env), merge of
// several -f files, profiles, then the compose-spec JSON schema (the one dclint ships) on each
// raw file and on the merged result, plus reference checks the schema cannot express.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import YAML from 'yaml';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
// dclint's "exports" hides the schema file, so resolve the package folder and read it by path.
const schemaPath = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
let validateSchema;
function schemaValidator() {
  if (!validateSchema) {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
    delete schema.$schema; // a draft URL Ajv does not know as a meta-schema id
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validateSchema = ajv.compile(schema);
  }
  return validateSchema;
}

/** Reads `NAME=value` lines of an env file (compose's .env), quotes removed. */
export function readEnvFile(path) {
  if (!existsSync(path)) return {};
  return Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => /^\s*[A-Za-z_]\w*=/.test(line))
      .map((line) => {
        const i = line.indexOf('=');
        return [
          line.slice(0, i).trim(),
          line
            .slice(i + 1)
            .trim()
            .replace(/^(['"])(.*)\1$/, '$2'),
        ];
      }),
  );
}

const VARIABLE = /\$\$|\$\{([A-Za-z_]\w*)(?:(:?)([-?+])((?:[^{}]|\{[^}]*\})*))?\}|\$([A-Za-z_]\w*)/g;

/** Compose interpolation: ${V}, ${V:-d}, ${V-d}, ${V:?e}, ${V?e}, ${V:+a}, ${V+a}, $V and $$. */
export function interpolate(text, env, where, errors) {
  return text.replace(VARIABLE, (match, name, colon, op, arg = '', bare) => {
    if (match === '$$') return '$';
    if (bare) return env[bare] ?? '';
    const value = env[name];
    const unset = colon ? value === undefined || value === '' : value === undefined;
    if (op === '-') return unset ? interpolate(arg, env, where, errors) : value;
    if (op === '+') return unset ? '' : interpolate(arg, env, where, errors);
    if (op === '?') {
      if (unset) errors.push(`${where}: required variable ${name} is missing: ${arg}`);
      return value ?? '';
    }
    return value ?? '';
  });
}

function walk(node, env, where, errors) {
  if (typeof node === 'string') return interpolate(node, env, where, errors);
  if (Array.isArray(node)) return node.map((item, i) => walk(item, env, `${where}[${i}]`, errors));
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, env, `${where}.${k}`, errors)]));
  return node;
}

// Sequences compose appends (de-duplicated) when files are merged; other sequences are replaced.
const APPENDED = new Set([
  'ports',
  'expose',
  'volumes',
  'dns',
  'dns_search',
  'tmpfs',
  'extra_hosts',
  'cap_add',
  'cap_drop',
  'secrets',
  'configs',
  'devices',
  'env_file',
  'security_opt',
]);
function merge(a, b, key) {
  if (Array.isArray(a) && Array.isArray(b)) {
    return APPENDED.has(key) ? [...new Set([...a, ...b].map((x) => JSON.stringify(x)))].map((x) => JSON.parse(x)) : b;
  }
  if (key === 'networks' && Array.isArray(a) !== Array.isArray(b) && a && b) {
    const asMap = (n) => (Array.isArray(n) ? Object.fromEntries(n.map((x) => [x, null])) : n);
    return merge(asMap(a), asMap(b), '');
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v, k) : v;
    return out;
  }
  return b;
}

/**
 * Validates compose files like `docker compose -f a -f b --profile p config`.
 * @param {{ files: string[], profiles?: string[], env?: Record<string, string>, envFile?: string }} options
 * @returns {{ errors: string[], merged: Record<string, any> }}
 */
export function validateCompose({ files, profiles = [], env = {}, envFile }) {
  const errors = [];
  const vars = { ...(envFile ? readEnvFile(envFile) : {}), ...env };
  const validate = schemaValidator();
  let merged = {};
  for (const file of files) {
    const doc = YAML.parse(readFileSync(file, 'utf8'));
    if (!validate(doc))
      for (const e of validate.errors)
        errors.push(`${file}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    merged = merge(merged, walk(doc, vars, file, errors), '');
  }
  const active = new Set(profiles);
  const services = merged.services ?? {};
  for (const [name, service] of Object.entries(services)) {
    if (service.profiles && !service.profiles.some((p) => active.has(p))) delete services[name];
  }
  if (!validate(merged))
    for (const e of validate.errors)
      errors.push(`merged: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  for (const [name, service] of Object.entries(services)) {
    if (!service.image && !service.build) errors.push(`service ${name}: neither image nor build`);
    const deps = Array.isArray(service.depends_on)
      ? service.depends_on.map((d) => [d, {}])
      : Object.entries(service.depends_on ?? {});
    for (const [dep, spec] of deps) {
      if (!services[dep] && spec?.required !== false)
        errors.push(`service ${name}: depends_on unknown or profile-disabled service "${dep}"`);
    }
    const networks = Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {});
    for (const net of networks)
      if (net !== 'default' && !(net in (merged.networks ?? {})))
        errors.push(`service ${name}: undefined network "${net}"`);
    const volumes = service.volumes ?? [];
    for (const v of volumes) {
      const source = typeof v === 'string' ? v.split(':')[0] : v.source;
      if (
        source &&
        !/^[./~]/.test(source) &&
        !(source in (merged.volumes ?? {})) &&
        (typeof v === 'string' || v.type === 'volume')
      )
        errors.push(`service ${name}: undefined volume "${source}"`);
    }
  }
  return { errors, merged };
}
