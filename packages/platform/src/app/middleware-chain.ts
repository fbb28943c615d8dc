import type { NextFunction, Request, RequestHandler, Response } from 'express';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Runs `handlers` one after the other as one middleware: Express spends a few thousand
 * instructions on every layer a request passes (matching, parameter processing, its `next`),
 * and the platform's own middleware run on every request. An error, thrown or passed to
 * `next`, leaves the chain for Express's error handling, as it would between layers; so does the
 * rejection of a handler that returns a promise. `next('route')`/`next('router')` have no meaning
 * here and are passed on as they are.
 * @internal
 */
export function middlewareChain(handlers: readonly RequestHandler[]): RequestHandler {
  const stack = [...handlers];
  if (stack.length === 1) return stack[0]!;
  return function platformMiddleware(req: Request, res: Response, done: NextFunction): void {
    let index = 0;
    const next: NextFunction = (error?: unknown) => {
      if (error !== undefined && error !== null) {
        done(error);
        return;
      }
      const handler = stack[index++];
      if (handler === undefined) {
        done();
        return;
      }
      try {
        const result: unknown = handler(req, res, next);
        if (isThenable(result)) {
          result.then(undefined, (rejection: unknown) =>
            done(rejection ?? new Error('a middleware rejected without a reason')),
          );
        }
      } catch (thrown) {
        done(thrown);
      }
    };
    next();
  };
}
