import Joi from 'joi';

/** The runtime environments every service knows. */
export type Environment = 'local' | 'staging' | 'production';

/**
 * One environment variable: how to validate and coerce it, and what the README says of it.
 * `T` is the type of the value after loading; it is carried only for the type of the config.
 */
export interface ConfigField<T> {
  readonly schema: Joi.Schema;
  readonly description: string;
  /** The default as the README shows it. */
  readonly defaultText: string;
  /** Never printed, redacted from errors, refused as a placeholder outside local. */
  readonly secret: boolean;
  /**
   * Also read from a file named by `NAME_FILE` (Docker and Kubernetes secrets): its content, one
   * trailing newline trimmed. Every secret accepts a file. Optional for fields built before it
   * existed. @default the value of `secret`
   */
  readonly acceptsFile?: boolean;
  /** Must be set when ENVIRONMENT=production. */
  readonly requiredInProduction: boolean;
  /** Turns the raw string into what `schema` validates (lists). */
  readonly parse?: (raw: string) => unknown;
  /** Extra rule for production; returns a problem or undefined. */
  productionCheck?(this: void, value: T): string | undefined;
  /** @internal phantom */
  readonly __type?: T;
}

/** The loaded value type of a field. */
export type FieldValue<F> = F extends ConfigField<infer T> ? T : never;
/** A set of fields, keyed by variable name. */
export type ConfigFields = Readonly<Record<string, ConfigField<unknown>>>;
/** The frozen config object a set of fields loads into. */
export type ConfigOf<F extends ConfigFields> = { readonly [K in keyof F]: FieldValue<F[K]> };

interface BaseOptions<T> {
  readonly description: string;
  readonly requiredInProduction?: boolean;
  productionCheck?(this: void, value: T): string | undefined;
}

/** Options of the builders whose values may be secrets or come from files. */
export interface FileFieldOptions {
  /** Never printed, redacted from errors, refused as a placeholder outside local; also read from `NAME_FILE`. @default false */
  readonly secret?: boolean;
  /** Also read from `NAME_FILE` (a non-secret that is long or multi-line, such as a PEM public key). @default the value of `secret` */
  readonly acceptsFile?: boolean;
}

function field<T>(
  schema: Joi.Schema,
  defaultText: string,
  options: BaseOptions<T> & FileFieldOptions & { parse?: (raw: string) => unknown },
): ConfigField<T> {
  const secret = options.secret ?? false;
  return Object.freeze({
    schema,
    description: options.description,
    defaultText,
    secret,
    acceptsFile: options.acceptsFile ?? secret,
    requiredInProduction: options.requiredInProduction ?? false,
    ...(options.parse === undefined ? {} : { parse: options.parse }),
    ...(options.productionCheck === undefined ? {} : { productionCheck: options.productionCheck }),
  });
}

function withDefault(schema: Joi.Schema, value: unknown): Joi.Schema {
  return value === undefined ? schema : schema.default(value);
}

/** Splits a comma-separated list or parses a JSON array. */
export function parseList(raw: string): unknown {
  const text = raw.trim();
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return raw; // the schema reports it as "must be an array"
    }
  }
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** String variable options. */
export interface StringFieldOptions<D extends string | undefined> extends BaseOptions<string>, FileFieldOptions {
  readonly default?: D;
  /** Allowed pattern. */
  readonly pattern?: RegExp;
}

/** URL variable options. */
export interface UrlFieldOptions<D extends string | undefined> extends BaseOptions<string>, FileFieldOptions {
  readonly default?: D;
  /** @default ['http', 'https'] */
  readonly schemes?: readonly string[];
}

/** Builders of {@link ConfigField}s. */
export const env = {
  /** A string; unset when no default is given. */
  string<D extends string | undefined = undefined>(
    options: StringFieldOptions<D>,
  ): ConfigField<D extends string ? string : string | undefined> {
    let schema = Joi.string();
    if (options.pattern !== undefined) schema = schema.pattern(options.pattern);
    return field<D extends string ? string : string | undefined>(
      withDefault(schema, options.default),
      options.default ?? '(unset)',
      options as BaseOptions<D extends string ? string : string | undefined>,
    );
  },
  /** An absolute URL. */
  url<D extends string | undefined = undefined>(
    options: UrlFieldOptions<D>,
  ): ConfigField<D extends string ? string : string | undefined> {
    const schema = Joi.string().uri({ scheme: [...(options.schemes ?? ['http', 'https'])] });
    return field<D extends string ? string : string | undefined>(
      withDefault(schema, options.default),
      options.default ?? '(unset)',
      options as BaseOptions<D extends string ? string : string | undefined>,
    );
  },
  /** An integer within bounds. */
  integer(
    options: BaseOptions<number> & { readonly default: number; readonly min: number; readonly max: number },
  ): ConfigField<number> {
    const schema = Joi.number().integer().min(options.min).max(options.max).default(options.default);
    return field(schema, String(options.default), options);
  },
  /** An integer that may be unset. */
  optionalInteger(
    options: BaseOptions<number | undefined> & { readonly min: number; readonly max: number },
  ): ConfigField<number | undefined> {
    return field(Joi.number().integer().min(options.min).max(options.max), '(unset)', options);
  },
  /** `true`/`false` (also `1`/`0`, `yes`/`no`). */
  boolean(options: BaseOptions<boolean> & { readonly default: boolean }): ConfigField<boolean> {
    const schema = Joi.boolean().truthy('1', 'yes', 'on').falsy('0', 'no', 'off').default(options.default);
    return field(schema, String(options.default), options);
  },
  /** One of a fixed set of strings (compared case-insensitively, returned as declared). */
  oneOf<const V extends readonly string[]>(
    values: V,
    options: BaseOptions<V[number]> & { readonly default: V[number] },
  ): ConfigField<V[number]> {
    const schema = Joi.string()
      .valid(...values)
      .insensitive()
      .default(options.default);
    return field(schema, options.default, options);
  },
  /** A list, given as `a,b,c` or as a JSON array. */
  list(
    options: BaseOptions<readonly string[]> & {
      readonly default?: readonly string[];
      readonly item?: Joi.StringSchema;
    },
  ): ConfigField<readonly string[]> {
    const fallback = options.default ?? [];
    const schema = Joi.array()
      .items(options.item ?? Joi.string())
      .default([...fallback]);
    return field(schema, fallback.length === 0 ? '(empty)' : fallback.join(','), { ...options, parse: parseList });
  },
  /** Any Joi schema, for what the builders above do not cover. */
  custom<T>(
    schema: Joi.Schema,
    options: BaseOptions<T> & FileFieldOptions & { readonly defaultText: string },
  ): ConfigField<T> {
    return field(schema, options.defaultText, options);
  },
} as const;
