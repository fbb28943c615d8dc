import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type Joi from 'joi';
import { deprecated } from '../deprecation/index.js';
import { isServiceError } from '../errors/service-error.js';
import { createRequestValidator } from './request-validator.js';

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

/**
 * Validates path params, query and body with Joi, rejecting unknown body fields. Any failure is a
 * 422 `VALIDATION_FAILED` with one detail per failed constraint. Validated values are read
 * with `.values(req)` (Express 5 does not allow replacing `req.query`).
 *
 * @deprecated Since 0.2.0 (`ORG_PLATFORM_DEP001`): declare the route once with
 * {@link defineRoute} (`request: { params, query, body }`) and mount it with
 * {@link createRouteGroup}; the handler receives the validated values, typed, and the OpenAPI
 * document is built from the same declaration. Removed in the next major.
 * @example
 * const listEntities = validate({ query: joi.object<{ limit: number }>({ limit: joi.number().integer().min(1).max(100).default(20) }) });
 * router.get('/', requireAuth(), listEntities, (req, res) => {
 *   const { query } = listEntities.values(req);
 * });
 */
export function validate<S extends RequestSchemas>(schemas: S): ValidationMiddleware<S> {
  deprecated('ORG_PLATFORM_DEP001');
  const check = createRequestValidator(schemas);
  const results = new WeakMap<Request, ValidatedValues<S>>();
  const middleware = function validateRequest(req: Request, _res: Response, next: NextFunction): void {
    const outcome = check(req);
    if (isServiceError(outcome)) {
      next(outcome);
      return;
    }
    results.set(req, outcome as ValidatedValues<S>);
    next();
  } as ValidationMiddleware<S>;
  Object.defineProperty(middleware, 'schemas', { value: schemas, enumerable: true });
  middleware.values = (req: Request) => {
    // Counted per read, so /metrics shows the traffic that still goes through the deprecated API.
    deprecated('ORG_PLATFORM_DEP001');
    const found = results.get(req);
    if (found === undefined) throw new Error('validate(): values(req) read before the validation middleware ran for this request');
    return found;
  };
  return middleware;
}
