import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import Joi from 'joi';
import { ConfigError, type ConfigProblem } from './config-error.js';
import type { ConfigFields, ConfigOf } from './fields.js';
import { fileVariableOf, readRawVariable } from './file-variables.js';
import { platformConfigFields } from './platform-fields.js';
import { platformWarnings } from './platform-warnings.js';

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
  /**
   * Rules across variables (one of two must be set, one needs another), reported in the same
   * {@link ConfigError} as every other problem. It runs even when variables have problems, so it
   * sees only what could be read (hence `Partial`); a problem for a variable that already has one
   * is dropped. @default no cross-variable rules
   */
  readonly check?: (config: Partial<ConfigOf<typeof platformConfigFields & F>>) => readonly ConfigProblem[];
}

/** Values that are never a real secret. */
const PLACEHOLDERS = new Set([
  'changethis',
  'changeme',
  'change-me',
  'change_me',
  'placeholder',
  'secret',
  'password',
  'xxx',
  'todo',
  'replace-me',
  'your-secret-here',
]);

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
  if (joiType === 'string.uri' || joiType === 'string.uriCustomScheme')
    return 'must be a valid URL (value not shown: secret)';
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
 * never prints a secret's value. A secret `NAME` (and any field with `acceptsFile`) may instead
 * be given as `NAME_FILE`, the path of a file holding the value (one trailing newline trimmed);
 * both set, or a file that cannot be read, is a problem naming the variable and the path.
 * Rules across variables go in `check`, so that they are reported with the rest.
 *
 * @example
 * const config = loadConfig({
 *   fields: { BILLING_SERVICE_URL: env.url({ description: 'Billing service base URL' }) },
 *   defaults: { SERVICE_NAME: 'orders-service', SERVICE_VERSION: pkg.version },
 *   // Reported together with every other problem, in one ConfigError.
 *   check: (c) => (c.ENVIRONMENT === 'production' && c.BILLING_SERVICE_URL === undefined ? [{ variable: 'BILLING_SERVICE_URL', message: 'is required in production' }] : []),
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
  const problems: ConfigProblem[] = [];
  // Variables read from a file (variable → its NAME_FILE=path), and those already reported while reading.
  const files = new Map<string, string>();
  const unreadable = new Set<string>();
  for (const [name, spec] of Object.entries(fields)) {
    keys[name] = spec.schema;
    const fileVariable = fileVariableOf(name, spec);
    const raw = readRawVariable(name, fileVariable, source);
    if (raw.kind === 'problem') {
      problems.push(raw.problem);
      unreadable.add(name);
      continue;
    }
    if (raw.kind === 'unset') {
      if (defaults[name] !== undefined) input[name] = defaults[name];
      continue;
    }
    if (raw.kind === 'file') files.set(name, `${fileVariable!}="${raw.path}"`);
    // A file's content is taken as written (one trailing newline aside); the environment's is trimmed.
    const text = raw.kind === 'file' ? raw.text : raw.text.trim();
    input[name] = spec.parse === undefined ? text : spec.parse(text);
  }
  // A problem of a value read from a file names the file, never its content.
  const report = (variable: string, message: string): void => {
    const file = files.get(variable);
    problems.push({ variable, message: file === undefined ? message : `${message} (value read from ${file})` });
  };

  const result = Joi.object(keys).validate(input, {
    abortEarly: false,
    convert: true,
    errors: { wrap: { label: false } },
  });
  for (const detail of result.error?.details ?? []) {
    const variable = String(detail.path[0] ?? 'config');
    if (unreadable.has(variable)) continue;
    const secret = (fields[variable]?.secret ?? true) || files.has(variable);
    const got = secret || input[variable] === undefined ? '' : ` (got "${describeValue(input[variable])}")`;
    const text = detail.message.startsWith(variable) ? detail.message.slice(variable.length).trim() : detail.message;
    // Joi quotes the value in some messages (patterns); a secret's problem is told without its text.
    const leaks = secret && typeof input[variable] === 'string' && text.includes(input[variable]);
    report(variable, leaks ? secretProblem(detail.type) : `${text}${got}`);
  }

  const values = (result.value ?? {}) as Record<string, unknown>;
  const environment = values.ENVIRONMENT;
  const warnings: string[] = [];
  for (const [name, spec] of Object.entries(fields)) {
    if (unreadable.has(name)) continue;
    const value = values[name];
    if (spec.secret && typeof value === 'string' && PLACEHOLDERS.has(value.trim().toLowerCase())) {
      if (environment === 'local') warnings.push(`${name} holds a placeholder value; replace it before deploying`);
      else report(name, `holds a placeholder value, which is not allowed in ${String(environment)}`);
    }
    if (environment !== 'production') continue;
    if (spec.requiredInProduction && (value === undefined || (Array.isArray(value) && value.length === 0))) {
      report(name, 'is required in production');
    } else if (spec.productionCheck !== undefined && value !== undefined) {
      const problem = spec.productionCheck(value);
      if (problem !== undefined) report(name, problem);
    }
  }
  if (options.check !== undefined) {
    const reported = new Set([...problems.map((p) => p.variable), ...unreadable]);
    for (const problem of options.check(values as Partial<ConfigOf<typeof platformConfigFields & F>>))
      if (!reported.has(problem.variable)) report(problem.variable, problem.message);
  }
  warnings.push(...platformWarnings(values));

  if (problems.length > 0) throw new ConfigError(problems);
  const config = deepFreeze({ ...values });
  warningsOf.set(config, Object.freeze(warnings));
  return config as ConfigOf<typeof platformConfigFields & F>;
}

/**
 * Non-fatal findings of {@link loadConfig}, for the start-up log (`config_warning`): placeholder
 * secrets in local, local mode listening beyond loopback, production without an expected token
 * issuer.
 *
 * @example
 * for (const warning of configWarnings(config)) logger.warn('config_warning', { warning });
 */
export function configWarnings(config: object): readonly string[] {
  return warningsOf.get(config) ?? [];
}
