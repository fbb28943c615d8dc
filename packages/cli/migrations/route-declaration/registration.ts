import { Node, type CallExpression, type Identifier } from 'ts-morph';
import type { Handler } from './handler.js';

/** Methods a declared route can have. */
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);
// defineRoute's path rule: literal segments and `:params`.
const PATH = /^\/(?:[A-Za-z0-9._~-]+|:[A-Za-z_][A-Za-z0-9_]*)?(?:\/(?:[A-Za-z0-9._~-]+|:[A-Za-z_][A-Za-z0-9_]*))*$/;

/** A route registered with the validation middleware: `router.post('/', auth.requireAuth(), createOrder, handler)`. */
export interface Registration {
  readonly call: CallExpression;
  /** The router (or chain) the route is registered on, as written. */
  readonly receiver: Node;
  /** The method's name in `receiver.get(...)`. */
  readonly methodName: Node;
  readonly method: string;
  /** The path as registered on the receiver. */
  readonly path: string;
  /** `true`, `{ roles: [...] }` as source text, or undefined for a public route. */
  readonly auth: string | undefined;
  /** The auth object whose `requireAuth()` / `requireRole()` guarded the route. */
  readonly authObject: string | undefined;
  readonly handler: Handler;
}

/**
 * Reads the registration that uses a validation middleware: a literal path, at most one auth
 * middleware (`x.requireAuth()` or `x.requireRole('a', …)`), the middleware, and an inline handler
 * last. Answers the reason when the route has any other shape.
 *
 * @example
 * const registration = readRegistration(reference);
 */
export function readRegistration(reference: Identifier): Registration | string {
  const call = reference.getParentOrThrow() as CallExpression;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || !METHODS.has(callee.getName())) return `${reference.getText()} is used by ${callee.getText()}(), not by a route registration (get, post, put, patch, delete)`;
  const args = call.getArguments();
  const path = args[0];
  if (path === undefined || !(Node.isStringLiteral(path) || Node.isNoSubstitutionTemplateLiteral(path))) return 'the route path is not a string literal';
  if (!PATH.test(path.getLiteralText())) return `the route path ${path.getText()} is not made of literal segments and :params`;
  const index = args.indexOf(reference);
  const handler = args[index + 1];
  if (handler === undefined || index + 2 !== args.length || !(Node.isArrowFunction(handler) || Node.isFunctionExpression(handler))) return 'the handler is not an inline function right after the validation middleware';
  const middleware = args.slice(1, index);
  if (middleware.length > 1) return 'the route has middleware besides authentication and validation';
  let auth: string | undefined;
  let authObject: string | undefined;
  const guard = middleware[0];
  if (guard !== undefined) {
    const guardCallee = Node.isCallExpression(guard) ? guard.getExpression() : undefined;
    if (!Node.isCallExpression(guard) || !Node.isPropertyAccessExpression(guardCallee)) return `the route has middleware ${guard.getText()} besides validation`;
    const roles = guard.getArguments();
    if (guardCallee.getName() === 'requireAuth' && roles.length === 0) auth = 'true';
    else if (guardCallee.getName() === 'requireRole' && roles.length > 0 && roles.every((role) => Node.isStringLiteral(role))) auth = `{ roles: [${roles.map((role) => role.getText()).join(', ')}] }`;
    else return `the route has middleware ${guard.getText()} besides validation`;
    authObject = guardCallee.getExpression().getText();
  }
  return { call, receiver: callee.getExpression(), methodName: callee.getNameNode(), method: callee.getName(), path: path.getLiteralText(), auth, authObject, handler };
}

/**
 * Splits a path registered on a router into its leading literal segments (where the route group's
 * router is mounted) and the rest (the declared route's path).
 *
 * @example
 * splitPath('/api/v1/orders/:id'); // { mount: '/api/v1/orders', route: '/:id' }
 */
export function splitPath(path: string): { mount: string; route: string } {
  const segments = path.split('/').filter((segment) => segment !== '');
  const firstParam = segments.findIndex((segment) => segment.startsWith(':'));
  const literal = firstParam === -1 ? segments : segments.slice(0, firstParam);
  const rest = firstParam === -1 ? [] : segments.slice(firstParam);
  return { mount: literal.length === 0 ? '' : `/${literal.join('/')}`, route: rest.length === 0 ? '/' : `/${rest.join('/')}` };
}
