import type { Request } from 'express';
import type Joi from 'joi';
import { createError } from '../errors/codes.js';
import type { ErrorDetail } from '../errors/service-error.js';
import type { ServiceError } from '../errors/service-error.js';
import { toErrorDetail } from './error-types.js';
import { protoKeyDetails } from './forbidden-keys.js';

/** The parts of a request that are validated, each with its Joi schema. @internal */
export interface RequestParts {
  readonly params?: Joi.Schema | undefined;
  readonly query?: Joi.Schema | undefined;
  readonly body?: Joi.Schema | undefined;
}

/** What one request validated into. @internal */
export interface ValidatedParts {
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
}

// Query strings and path params arrive as text: convert them. JSON bodies are typed: don't.
const PARTS = [
  ['params', { convert: true, allowUnknown: false }],
  ['query', { convert: true, allowUnknown: true, stripUnknown: true }],
  ['body', { convert: false, allowUnknown: false }],
] as const;

/**
 * Compiles the schemas of a route once and returns the check that runs per request: the
 * validated, coerced values, or the 422 `VALIDATION_FAILED` error with one detail per failed
 * constraint of every part. Unknown body keys are refused; unknown query keys are dropped. A
 * route that declares a body needs one: a missing body is a `missing` detail, not `{}`.
 *
 * @internal
 */
export function createRequestValidator(parts: RequestParts): (req: Request) => ValidatedParts | ServiceError {
  const compiled: RequestParts = {
    params: parts.params?.label('params'),
    query: parts.query?.label('query'),
    body: parts.body?.required().label('body'),
  };
  return function validateRequestParts(req: Request): ValidatedParts | ServiceError {
    const details: ErrorDetail[] = [];
    const values: Record<string, unknown> = { params: undefined, query: undefined, body: undefined };
    for (const [part, options] of PARTS) {
      const schema = compiled[part];
      if (schema === undefined) continue;
      const result = schema.validate(req[part], { abortEarly: false, errors: { wrap: { label: false } }, ...options });
      if (result.error !== undefined) details.push(...result.error.details.map((d) => toErrorDetail(d, part)));
      else values[part] = result.value;
      if (part === 'body') details.push(...protoKeyDetails(req.body));
    }
    return details.length > 0 ? createError('VALIDATION_FAILED', { details }) : (values as unknown as ValidatedParts);
  };
}
