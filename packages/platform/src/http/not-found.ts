import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createError } from '../errors/codes.js';

interface Layer {
  match(path: string): { path: string } | false;
  route?: { _methods(): string[] };
  handle?: { stack?: Layer[] };
}

/** The methods any route of `stack` answers for `path`, walking into mounted routers. */
function allowedMethods(stack: readonly Layer[], path: string, found: Set<string>): void {
  for (const layer of stack) {
    const match = layer.match(path);
    if (match === false) continue;
    if (layer.route !== undefined) {
      for (const method of layer.route._methods()) found.add(method.toUpperCase());
    } else if (layer.handle?.stack !== undefined) {
      const rest = path.slice(match.path.length);
      allowedMethods(layer.handle.stack, rest.startsWith('/') ? rest : `/${rest}`, found);
    }
  }
}

/**
 * The last route handler: 405 `METHOD_NOT_ALLOWED` with an `Allow` header when the path
 * exists under another method, else 404 `ROUTE_NOT_FOUND`.
 */
export function notFoundHandler(): RequestHandler {
  return function notFound(req: Request, _res: Response, next: NextFunction): void {
    const methods = new Set<string>();
    const stack = (req.app as unknown as { router: { stack: Layer[] } }).router.stack;
    allowedMethods(stack, req.path, methods);
    if (methods.has('GET')) methods.add('HEAD');
    // A route for this very method matched but passed the request on (called next()): that is a 404.
    if (methods.size > 0 && !methods.has(req.method)) {
      const allow = [...methods].sort().join(', ');
      next(createError('METHOD_NOT_ALLOWED', { headers: { Allow: allow } }));
      return;
    }
    next(createError('ROUTE_NOT_FOUND'));
  };
}
