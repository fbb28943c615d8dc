import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import Joi from 'joi';
import { ConfigError, type ConfigProblem } from './config-error.js';
import type { ConfigFields, ConfigOf } from './fields.js';
import { platformConfigFields } from './platform-fields.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions<F extends ConfigFields> {
  /** The service's own variables, added to the platform's. @default {} */
  readonly fields?: F;
  /** Where variables come from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A dotenv file read when present; the environment wins over it. `false` skips it. @default '.env' */
  readonly envFile?: string | false;
  /** Defaults that replace the declared ones (a service sets SERVICE_NAME and SERVICE_VERSION). */
  readonly defaults?: Partial<Record<keyof typeof platformConfigFields | keyof F, string | number | boolean>>;
}

/** Values that are never a real secret. */
const PLACEHOLDERS = new Set(['changethis', 'changeme', 'change-me', 'change_me', 'placeholder', 'secret', 'password', 'xxx', 'todo', 'replace-me', 'your-secret-here']);

const warningsOf = new WeakMap<object, readonly string[]>();

function readEnvFile(path: string | false): Record<string, string> {
  if (path === false) return {};
  const full = resolve(path);
  if (!existsSync(full)) return {};
  return parseEnv(readFileSync(full, 'utf8')) as Record<string, string>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

function secretProblem(joiType: string): string {
  if (joiType === 'string.uri' || joiType === 'string.uriCustomScheme') return 'must be a valid URL (value not shown: secret)';
  if (joiType === 'string.pattern.base') return 'does not have the expected format (value not shown: secret)';
  return `is invalid: ${joiType} (value not shown: secret)`;
}

function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Reads, validates, coerces and deep-freezes the configuration, once, at start.
 * Every problem is reported at once in a {@link ConfigError} that names each variable and
 * never prints a secret's value.
 *
 * @example
 * const config = loadConfig({
 *   fields: { BILLING_SERVICE_URL: env.url({ description: 'Billing service base URL' }) },
 *   defaults: { SERVICE_NAME: 'orders-service', SERVICE_VERSION: pkg.version },
 * });
 * config.PORT; // number
 */
export function loadConfig<F extends ConfigFields = Record<never, never>>(
  options: LoadConfigOptions<F> = {},
): ConfigOf<typeof platformConfigFields & F> {
  const fields: ConfigFields = { ...platformConfigFields, ...(options.fields ?? {}) };
  const source = { ...readEnvFile(options.envFile ?? '.env'), ...(options.env ?? process.env) };
  const defaults: Record<string, unknown> = options.defaults ?? {};
  const input: Record<string, unknown> = {};
  const keys: Record<string, Joi.Schema> = {};
  for (const [name, spec] of Object.entries(fields)) {
    keys[name] = spec.schema;
    const raw = source[name];
    if (raw === undefined || raw.trim() === '') {
      if (defaults[name] !== undefined) input[name] = defaults[name];
      continue;
    }
    input[name] = spec.parse === undefined ? raw.trim() : spec.parse(raw);
  }

  const problems: ConfigProblem[] = [];
  const result = Joi.object(keys).validate(input, { abortEarly: false, convert: true, errors: { wrap: { label: false } } });
  for (const detail of result.error?.details ?? []) {
    const variable = String(detail.path[0] ?? 'config');
    const secret = fields[variable]?.secret ?? true;
    const got = secret || input[variable] === undefined ? '' : ` (got "${describeValue(input[variable])}")`;
    const text = detail.message.startsWith(variable) ? detail.message.slice(variable.length).trim() : detail.message;
    // Joi quotes the value in some messages (patterns); a secret's problem is told without its text.
    const leaks = secret && typeof input[variable] === 'string' && text.includes(input[variable]);
    problems.push({ variable, message: leaks ? secretProblem(detail.type) : `${text}${got}` });
  }

  const values = (result.value ?? {}) as Record<string, unknown>;
  const environment = values.ENVIRONMENT;
  const warnings: string[] = [];
  for (const [name, spec] of Object.entries(fields)) {
    const value = values[name];
    if (spec.secret && typeof value === 'string' && PLACEHOLDERS.has(value.trim().toLowerCase())) {
      if (environment === 'local') warnings.push(`${name} holds a placeholder value; replace it before deploying`);
      else problems.push({ variable: name, message: `holds a placeholder value, which is not allowed in ${String(environment)}` });
    }
    if (environment !== 'production') continue;
    if (spec.requiredInProduction && (value === undefined || (Array.isArray(value) && value.length === 0))) {
      problems.push({ variable: name, message: 'is required in production' });
    } else if (spec.productionCheck !== undefined && value !== undefined) {
      const problem = spec.productionCheck(value);
      if (problem !== undefined) problems.push({ variable: name, message: problem });
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  const config = deepFreeze({ ...values });
  warningsOf.set(config, Object.freeze(warnings));
  return config as ConfigOf<typeof platformConfigFields & F>;
}

/** Non-fatal findings of {@link loadConfig} (placeholder secrets in local), for the start-up log. */
export function configWarnings(config: object): readonly string[] {
  return warningsOf.get(config) ?? [];
}
