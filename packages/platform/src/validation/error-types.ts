import type Joi from 'joi';
import type { ErrorDetail } from '../errors/service-error.js';

/** Joi error types → the stable `type` ids of docs/contract.md (pydantic's names where they exist). */
const TYPE_IDS: Readonly<Record<string, string>> = {
  'any.required': 'missing',
  'any.unknown': 'unknown_field',
  'object.unknown': 'unknown_field',
  'any.invalid': 'value_error',
  'any.only': 'enum',
  'string.base': 'string_type',
  'string.empty': 'string_too_short',
  'string.min': 'string_too_short',
  'string.minChars': 'string_too_short',
  'string.max': 'string_too_long',
  'string.maxChars': 'string_too_long',
  'string.blank': 'string_blank',
  'string.guid': 'uuid_parsing',
  'string.pattern.base': 'string_pattern_mismatch',
  'string.email': 'email_parsing',
  'string.uri': 'url_parsing',
  'string.isoDate': 'datetime_parsing',
  'number.base': 'int_parsing',
  'number.integer': 'int_parsing',
  'number.unsafe': 'int_parsing',
  'number.infinity': 'finite_number',
  'number.min': 'greater_than_equal',
  'number.greater': 'greater_than',
  'number.max': 'less_than_equal',
  'number.less': 'less_than',
  'boolean.base': 'bool_parsing',
  'date.base': 'datetime_parsing',
  'array.base': 'list_type',
  'array.min': 'too_short',
  'array.max': 'too_long',
  'object.base': 'model_attributes_type',
  'object.oxor': 'mutually_exclusive',
  'object.xor': 'mutually_exclusive',
  'object.nand': 'mutually_exclusive',
};

/** The stable `type` id for a Joi error type. */
export function errorTypeId(joiType: string): string {
  return TYPE_IDS[joiType] ?? joiType.replace(/[^a-z0-9]+/gi, '_').toLowerCase();
}

/**
 * A Joi error detail as a unified-shape detail. A rule between keys (`oxor`: two keys that may
 * not come together) names the first key present; `location` names the whole value otherwise
 * when the path is empty.
 */
export function toErrorDetail(detail: Joi.ValidationErrorItem, location: string): ErrorDetail {
  const present = detail.context?.present as unknown;
  const peer = Array.isArray(present) && typeof present[0] === 'string' ? present[0] : undefined;
  if (detail.path.length > 0)
    return { field: detail.path.join('.'), message: detail.message, type: errorTypeId(detail.type) };
  // A body that is JSON but not an object (`null`, `"x"`, `[]`): say what was expected.
  const message = location === 'body' && detail.type === 'object.base' ? 'expected a JSON object' : detail.message;
  return { field: peer ?? location, message, type: errorTypeId(detail.type) };
}
