import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type Joi from 'joi';
import { createError } from '../errors/codes.js';
import type { ErrorDetail } from '../errors/service-error.js';
import { toErrorDetail } from './error-types.js';
import { protoKeyDetails } from './forbidden-keys.js';

/** What a route validates. Each part is a Joi schema (usually `joi.object({...})`). */
export interface RequestSchemas {
  readonly params?: Joi.Schema;
  readonly query?: Joi.Schema;
  readonly body?: Joi.Schema;
}

type SchemaValue<S> = S extends Joi.Schema<infer T> ? T : undefined;

/** The validated, coerced values of a request. */
export type ValidatedValues<S extends RequestSchemas> = {
  readonly params: SchemaValue<S['params']>;
  readonly query: SchemaValue<S['query']>;
  readonly body: SchemaValue<S['body']>;
};

/** The middleware {@link validate} returns; `values(req)` reads what it validated. */
export interface ValidationMiddleware<S extends RequestSchemas> extends RequestHandler {
  /** The schemas, for documentation generators. */
  readonly schemas: S;
  /** The validated values of `req`. @throws Error when this middleware did not run for `req`. */
  values(req: Request): ValidatedValues<S>;
}

// Query strings and path params arrive as text: convert them. JSON bodies are typed: don't.
const PARTS = [
  ['params', { convert: true, allowUnknown: false }],
  ['query', { convert: true, allowUnknown: true, stripUnknown: true }],
  ['body', { convert: false, allowUnknown: false }],
] as const;

/**
 * Validates path params, query and body with Joi, rejecting unknown body fields. Any failure is a
 * 422 `VALIDATION_FAILED` with one detail per failed constraint. Validated values are read
 * with `.values(req)` (Express 5 does not allow replacing `req.query`).
 *
 * @example
 * const listEntities = validate({ query: joi.object({ limit: joi.number().integer().min(1).max(100).default(20) }) });
 * router.get('/', requireAuth(), listEntities, (req, res) => {
 *   const { query } = listEntities.values(req);
 * });
 */
export function validate<S extends RequestSchemas>(schemas: S): ValidationMiddleware<S> {
  // A route that declares a body needs one: a missing body is a `missing` detail, not `{}`.
  const compiled: RequestSchemas = {
    ...(schemas.params === undefined ? {} : { params: schemas.params.label('params') }),
    ...(schemas.query === undefined ? {} : { query: schemas.query.label('query') }),
    ...(schemas.body === undefined ? {} : { body: schemas.body.required().label('body') }),
  };
  const results = new WeakMap<Request, ValidatedValues<S>>();
  const middleware = function validateRequest(req: Request, _res: Response, next: NextFunction): void {
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
    if (details.length > 0) {
      next(createError('VALIDATION_FAILED', { details }));
      return;
    }
    results.set(req, values as ValidatedValues<S>);
    next();
  } as ValidationMiddleware<S>;
  Object.defineProperty(middleware, 'schemas', { value: schemas, enumerable: true });
  middleware.values = (req: Request) => {
    const found = results.get(req);
    if (found === undefined) throw new Error('validate(): values(req) read before the validation middleware ran for this request');
    return found;
  };
  return middleware;
}
