import Joi from 'joi';

/** Joi's string schema plus length rules counted in code points, as the database counts them. */
export interface PlatformStringSchema<T = string> extends Joi.StringSchema<T> {
  /** At least `limit` characters (code points, not UTF-16 units). */
  minChars(limit: number): this;
  /** At most `limit` characters (code points, not UTF-16 units). */
  maxChars(limit: number): this;
  /** Not empty and not only whitespace. */
  notBlank(): this;
}

/** The Joi root the platform validates with: Joi, with {@link PlatformStringSchema} strings. */
export interface PlatformJoi extends Joi.Root {
  string<T = string>(): PlatformStringSchema<T>;
}

function countCodePoints(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/**
 * Joi extended with code-point string lengths. Services build request schemas with it so that
 * validation and the generated OpenAPI document agree.
 *
 * @example
 * const title = joi.string().notBlank().maxChars(255);
 */
export const joi: PlatformJoi = Joi.extend((root: Joi.Root) => ({
  type: 'string',
  base: root.string(),
  messages: {
    'string.minChars': '{{#label}} must be at least {{#limit}} characters long',
    'string.maxChars': '{{#label}} must be at most {{#limit}} characters long',
    'string.blank': '{{#label}} must not be blank',
  },
  rules: {
    minChars: {
      method(limit: number) {
        return (this as Joi.Schema).$_addRule({ name: 'minChars', args: { limit } });
      },
      args: [
        {
          name: 'limit',
          assert: (v: unknown) => Number.isInteger(v) && (v as number) >= 0,
          message: 'must be a non-negative integer',
        },
      ],
      validate(value: string, helpers: Joi.CustomHelpers, args: Record<string, unknown>) {
        return countCodePoints(value) >= (args.limit as number)
          ? value
          : helpers.error('string.minChars', { limit: args.limit });
      },
    },
    maxChars: {
      method(limit: number) {
        return (this as Joi.Schema).$_addRule({ name: 'maxChars', args: { limit } });
      },
      args: [
        {
          name: 'limit',
          assert: (v: unknown) => Number.isInteger(v) && (v as number) >= 0,
          message: 'must be a non-negative integer',
        },
      ],
      validate(value: string, helpers: Joi.CustomHelpers, args: Record<string, unknown>) {
        return countCodePoints(value) <= (args.limit as number)
          ? value
          : helpers.error('string.maxChars', { limit: args.limit });
      },
    },
    notBlank: {
      method() {
        return (this as Joi.Schema).$_addRule({ name: 'notBlank' });
      },
      validate(value: string, helpers: Joi.CustomHelpers) {
        return value.trim() === '' ? helpers.error('string.blank') : value;
      },
    },
  },
})) as PlatformJoi;
