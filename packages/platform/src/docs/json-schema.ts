import type Joi from 'joi';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as a plain object. */
export type JsonSchema = { readonly [keyword: string]: unknown };

interface Described {
  readonly type?: string;
  readonly flags?: Readonly<Record<string, unknown>>;
  readonly rules?: readonly { readonly name: string; readonly args?: Readonly<Record<string, unknown>> }[];
  readonly allow?: readonly unknown[];
  readonly keys?: Readonly<Record<string, Described>>;
  readonly items?: readonly Described[];
  readonly examples?: readonly unknown[];
}

// Joi's string/number rules → JSON Schema keywords. Code-point rules map onto minLength/maxLength,
// which JSON Schema also counts in code points.
const STRING_RULES: Readonly<Record<string, (args: Readonly<Record<string, unknown>>) => JsonSchema>> = {
  min: (a) => ({ minLength: a.limit }),
  minChars: (a) => ({ minLength: a.limit }),
  max: (a) => ({ maxLength: a.limit }),
  maxChars: (a) => ({ maxLength: a.limit }),
  length: (a) => ({ minLength: a.limit, maxLength: a.limit }),
  notBlank: () => ({ minLength: 1, pattern: '\\S' }),
  guid: () => ({ format: 'uuid' }),
  email: () => ({ format: 'email' }),
  uri: () => ({ format: 'uri' }),
  isoDate: () => ({ format: 'date-time' }),
  pattern: (a) => ({ pattern: (a.regex as string).replace(/^\/(.*)\/[a-z]*$/s, '$1') }),
};
const NUMBER_RULES: Readonly<Record<string, (args: Readonly<Record<string, unknown>>) => JsonSchema>> = {
  integer: () => ({ type: 'integer' }),
  min: (a) => ({ minimum: a.limit }),
  max: (a) => ({ maximum: a.limit }),
  greater: (a) => ({ exclusiveMinimum: a.limit }),
  less: (a) => ({ exclusiveMaximum: a.limit }),
};

/** Named schemas by their description's JSON: where one appears inside another, a `$ref` replaces it. */
type Refs = ReadonlyMap<string, string>;

function baseSchema(described: Described, refs: Refs): Record<string, unknown> {
  switch (described.type) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'string', format: 'date-time' };
    case 'array':
      return {
        type: 'array',
        ...(described.items?.[0] === undefined ? {} : { items: nested(described.items[0], refs) }),
      };
    case 'object': {
      const keys = Object.entries(described.keys ?? {});
      const required = keys.filter(([, key]) => key.flags?.presence === 'required').map(([name]) => name);
      return {
        type: 'object',
        properties: Object.fromEntries(keys.map(([name, key]) => [name, nested(key, refs)])),
        ...(required.length === 0 ? {} : { required }),
        // Unknown keys are refused unless the schema says otherwise, as validate() does.
        ...(described.flags?.unknown === true ? {} : { additionalProperties: false }),
      };
    }
    default:
      return {};
  }
}

// Two rules that both set `pattern` (notBlank + pattern) must both hold. One pattern that
// requires both (each as a lookahead from the start) keeps the schema a plain string for code
// generators; an `allOf` of bare patterns turns into `string & unknown` in generated types.
function bothPatterns(first: string, second: string): string {
  const ahead = (pattern: string): string => `(?=[\\s\\S]*?(?:${pattern}))`;
  return `^${ahead(first)}${ahead(second)}`;
}

function merge(schema: Record<string, unknown>, addition: JsonSchema): void {
  for (const [keyword, value] of Object.entries(addition)) {
    if (keyword === 'pattern' && typeof schema.pattern === 'string' && typeof value === 'string')
      schema.pattern = bothPatterns(schema.pattern, value);
    else schema[keyword] = value;
  }
}

function nested(described: Described, refs: Refs): JsonSchema {
  const name = refs.size === 0 ? undefined : refs.get(JSON.stringify(described));
  return name === undefined ? fromDescription(described, refs) : { $ref: `#/components/schemas/${name}` };
}

function fromDescription(described: Described, refs: Refs): JsonSchema {
  const schema = baseSchema(described, refs);
  const rules = described.type === 'number' ? NUMBER_RULES : described.type === 'string' ? STRING_RULES : {};
  for (const rule of described.rules ?? []) {
    const convert = rules[rule.name];
    if (convert !== undefined) merge(schema, convert(rule.args ?? {}));
    else if (described.type === 'object' && rule.name === 'min') schema.minProperties = rule.args?.limit;
    else if (described.type === 'array' && rule.name === 'max') schema.maxItems = rule.args?.limit;
  }
  const flags = described.flags ?? {};
  if (typeof flags.description === 'string') schema.description = flags.description;
  if (flags.default !== undefined && typeof flags.default !== 'function') schema.default = flags.default;
  const allowed = described.allow ?? [];
  if (flags.only === true) schema.enum = [...allowed];
  else if (allowed.includes(null)) schema.type = [schema.type, 'null'];
  if (described.examples !== undefined) schema.examples = [...described.examples];
  return schema;
}

/**
 * Converts a Joi schema into the JSON Schema (2020-12) that OpenAPI 3.1 documents use, from
 * `schema.describe()`: types, required keys, unknown-key refusal, string lengths (code points),
 * uuid/email/uri/date-time formats, number bounds, `allow(null)`, `valid(...)`, defaults and
 * descriptions. Rules it does not know are left out (the document is never stricter than Joi).
 *
 * @example
 * toJsonSchema(joi.object({ title: joi.string().notBlank().maxChars(255).required() }));
 * // { type: 'object', properties: { title: { type: 'string', minLength: 1, pattern: '\\S', maxLength: 255 } }, required: ['title'], additionalProperties: false }
 */
export function toJsonSchema(schema: Joi.Schema): JsonSchema {
  return fromDescription(schema.describe() as Described, new Map());
}

/**
 * The JSON Schemas of named Joi schemas, for `components.schemas`, and a converter for any other
 * schema: wherever a named schema appears (a page's items, a property), it becomes a `$ref`.
 * Identity is the schema's description, so the very schema object need not be reused.
 * @internal
 */
export function namedSchemas(named: Readonly<Record<string, Joi.Schema>>): {
  readonly components: Record<string, JsonSchema>;
  readonly convert: (schema: Joi.Schema) => JsonSchema;
} {
  const refs = new Map<string, string>();
  for (const [name, schema] of Object.entries(named)) refs.set(JSON.stringify(schema.describe()), name);
  const components = Object.fromEntries(
    Object.entries(named).map(([name, schema]) => {
      // A named schema refers to the others, never to itself.
      const others = new Map([...refs].filter(([, other]) => other !== name));
      return [name, fromDescription(schema.describe() as Described, others)];
    }),
  );
  return { components, convert: (schema) => nested(schema.describe() as Described, refs) };
}
