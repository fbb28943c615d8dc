import { Router, type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Auth } from '../auth/create-auth.js';
import type { Idempotency } from '../idempotency/idempotency.js';
import { tryGetPrincipal } from '../auth/principal.js';
import { isServiceError } from '../errors/service-error.js';
import { createRequestValidator } from '../validation/request-validator.js';
import type { RouteDefinition, SentReply } from './define-route.js';
import { guardedHandler, isGuarded } from './guarded-handler.js';

/** A tag of the OpenAPI document: the group's routes are listed under it. */
export interface RouteTag {
  readonly name: string;
  readonly description: string;
}

/** Options of {@link createRouteGroup}. */
export interface RouteGroupOptions {
  /** Where the group is mounted: `/api/v1/orders`. */
  readonly basePath: string;
  /**
   * The routes ({@link defineRoute}), each with types of its own: the group holds them as
   * {@link RouteDefinition}s, the one place their types are dropped, checked by the compiler.
   */
  readonly routes: readonly RouteDefinition[];
  /** Authentication for the routes declared with `auth` (`createAuth(...)`); required when any is. */
  readonly auth?: Pick<Auth, 'requireAuth' | 'requireRole'>;
  /** The group's tag in the OpenAPI document. @default no tag */
  readonly tag?: RouteTag;
  /** Idempotency keys (`createIdempotency(...)`) for the routes declared with `idempotencyKey`; required when any is. */
  readonly idempotency?: Idempotency;
}

/**
 * Routes mounted under one base path, as an {@link AppExtension} for `createServiceApp({ routes })`,
 * and what {@link createOpenApiDocument} reads to document them (`routeGroups`).
 */
export interface RouteGroup {
  (app: Express): void;
  readonly basePath: string;
  readonly router: Router;
  readonly routes: readonly RouteDefinition[];
  readonly tag: RouteTag | undefined;
}

const BASE_PATH = /^(?:\/[A-Za-z0-9._~-]+)+$/;

function authentication(route: RouteDefinition, auth: RouteGroupOptions['auth']): RequestHandler[] {
  if (route.auth === false) return [];
  if (auth === undefined)
    throw new TypeError(`createRouteGroup(): route ${route.operationId} declares auth, but the group got no \`auth\``);
  return [route.auth === true ? auth.requireAuth() : auth.requireRole(...route.auth.roles)];
}

// What `res.json()` sends, without its detour through `res.send()` (which turns a body of 1 kB or
// more into a Buffer, a copy of every list page, before writing it). Express's own path is kept
// whenever something it adds could apply: an ETag or a conditional answer (304), JSON settings of
// the app, or a status that has no body.
function sendJson(req: Request, res: Response, body: unknown): void {
  const app = req.app;
  const plain =
    res.statusCode !== 204 &&
    res.statusCode !== 304 &&
    app.get('etag fn') === undefined &&
    app.get('json replacer') === undefined &&
    app.get('json spaces') === undefined &&
    app.get('json escape') !== true &&
    !res.hasHeader('ETag') &&
    !res.hasHeader('Last-Modified') &&
    !res.hasHeader('Content-Type');
  if (!plain) {
    res.json(body);
    return;
  }
  // JSON.stringify is typed `string`, but gives undefined for a function or a symbol.
  const text: string | undefined = JSON.stringify(body);
  if (text === undefined) {
    res.json(body);
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

// Writes a handler's reply: its status, headers and JSON body.
function sendReply(req: Request, res: Response, reply: SentReply): void {
  res.status(reply.status);
  if (reply.headers !== undefined) res.set(reply.headers);
  if (reply.body === undefined) res.end();
  else sendJson(req, res, reply.body);
}

function handle(route: RouteDefinition, basePath: string, idempotency: Idempotency | undefined): RequestHandler {
  const validateParts = createRequestValidator(route.request);
  // Idempotency keys and conditional requests: their own handler, so other routes pay nothing for them.
  if (isGuarded(route))
    return guardedHandler(route, {
      route: `${route.method.toUpperCase()} ${route.path === '/' ? basePath : `${basePath}${route.path}`}`,
      idempotency,
      validate: validateParts,
      send: sendReply,
    });
  // Named after the operation, so a stack trace says which route failed.
  const handler = async function (req: Request, res: Response, next: NextFunction): Promise<void> {
    const values = validateParts(req);
    if (isServiceError(values)) {
      next(values);
      return;
    }
    const reply = await route.handler({ ...values, principal: tryGetPrincipal(req), req, res });
    sendReply(req, res, reply);
  };
  Object.defineProperty(handler, 'name', { value: route.operationId });
  return handler;
}

/**
 * Mounts declared routes ({@link defineRoute}) under a base path: for each, authentication (when
 * declared), then the route's own `middleware`, then validation (422 `VALIDATION_FAILED`), then
 * the handler, whose reply becomes the response. The router is not strict about a trailing slash: `/api/v1/orders` and
 * `/api/v1/orders/` both answer, and the document says so.
 *
 * @example
 * const orders = createRouteGroup({ basePath: '/api/v1/orders', auth, routes: [createOrder, getOrder], tag: { name: 'orders', description: 'Orders of the caller' } });
 * const app = createServiceApp({ config, logger, routes: orders });
 * const document = createOpenApiDocument({ title: config.SERVICE_NAME, version: config.SERVICE_VERSION, routeGroups: [orders] });
 */
export function createRouteGroup(options: RouteGroupOptions): RouteGroup {
  const { basePath, routes } = options;
  if (!BASE_PATH.test(basePath))
    throw new TypeError(
      `createRouteGroup(): basePath ${JSON.stringify(basePath)} must look like "/api/v1/orders" (no trailing slash)`,
    );
  const seen = new Set<string>();
  const router = Router({ strict: false });
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new TypeError(`createRouteGroup(): ${key} is declared twice`);
    seen.add(key);
    router[route.method](
      route.path,
      ...authentication(route, options.auth),
      ...(route.middleware ?? []),
      handle(route, basePath, options.idempotency),
    );
  }
  const group = function mountRouteGroup(app: Express): void {
    app.use(basePath, router);
  };
  return Object.assign(group, { basePath, router, routes: Object.freeze([...routes]), tag: options.tag });
}
