import type { Request, RequestHandler, Response } from 'express';
import type Joi from 'joi';
import type { Principal } from '../auth/principal.js';
import type { IfMatch } from '../conditional/preconditions.js';
import type { ErrorCode } from '../errors/registered-codes.js';

/** HTTP methods a route can be declared with. */
export type RouteMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route: anyone (`false`), any authenticated caller (`true`, 401 otherwise), or
 * callers with one of `roles` (403 `FORBIDDEN` otherwise).
 */
export type RouteAuth = boolean | { readonly roles: readonly string[] };

/**
 * What the compiler asks for when a schema's value type is `any` (a plain `joi.object({...})`):
 * declare the shape, `joi.object<Shape, true>({...})`, so the handler's values are typed.
 */
export interface UntypedSchema {
  readonly 'declare the value type: joi.object<Shape, true>({ ... })': never;
}

// `any` (a plain `joi.object({...})`) and `unknown` (the same, inferred from context) say nothing.
type IsUntyped<T> = unknown extends T ? true : false;
type Typed<T> = IsUntyped<T> extends true ? UntypedSchema : unknown;

/** A response header a route sends. */
export interface ResponseHeader {
  /** What the header carries. */
  readonly description: string;
  /** Sent on every response of this status; the handler's reply must then carry it. @default false */
  readonly required?: boolean;
  /** JSON Schema `format` of the value (`uri-reference`, `date-time`, ...). */
  readonly format?: string;
}

/** One success response of a route. */
export interface ResponseDeclaration<T = unknown> {
  /** What the response means. */
  readonly description: string;
  /** The body's Joi schema, with its value type (`joi.object<Entity>(...)`); none for empty bodies (204). */
  readonly schema?: Joi.Schema<T>;
  /** Response headers by name. */
  readonly headers?: Readonly<Record<string, ResponseHeader>>;
  /** A realistic body, shown in the document. */
  readonly example?: T;
}

/** Success responses by status. */
export type RouteResponses = Readonly<Record<number, ResponseDeclaration>>;

/** What a route validates; the handler gets each part's value with the schema's type. */
export interface RouteRequest<P, Q, B> {
  /** Path parameters (`/:id`), converted from text. */
  readonly params?: Joi.ObjectSchema<P> & Typed<P>;
  /** Query parameters, converted from text; unknown ones are dropped. */
  readonly query?: Joi.ObjectSchema<Q> & Typed<Q>;
  /** The JSON body: required when declared; unknown keys are refused (422 `unknown_field`). */
  readonly body?: Joi.ObjectSchema<B> & Typed<B>;
  /** A realistic body, shown in the document. */
  readonly bodyExample?: B;
}

/** What a handler receives: validated values, typed from the schemas, and the principal. */
export interface RouteInput<P, Q, B, A extends RouteAuth> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The verified caller on routes with `auth`; `undefined` on public routes. */
  readonly principal: A extends false ? undefined : Principal;
  /**
   * The request's `If-Match` on routes declared with `preconditions: { ifMatch: true }`
   * (`undefined` without the header, and on other routes): compare it in the write's own
   * statement, and throw `createError('PRECONDITION_FAILED')` when it does not hold.
   */
  readonly ifMatch?: IfMatch | undefined;
  /** The Express request and response, for what the declaration does not cover. */
  readonly req: Request;
  readonly res: Response;
}

type BodyOf<D> = D extends { readonly schema: Joi.Schema<infer T> } ? T : undefined;
type RequiredHeaders<H> = { [K in keyof H]: H[K] extends { readonly required: true } ? K : never }[keyof H];
type HeadersOf<D> = D extends { readonly headers: infer H }
  ? { readonly [K in RequiredHeaders<H> & string]: string } & {
      readonly [K in Exclude<keyof H, RequiredHeaders<H>> & string]?: string;
    }
  : Readonly<Record<string, string>>;
type ReplyBody<D> = BodyOf<D> extends undefined ? { readonly body?: undefined } : { readonly body: BodyOf<D> };
type ReplyHeaders<D> = D extends { readonly headers: infer H }
  ? [RequiredHeaders<H>] extends [never]
    ? { readonly headers?: HeadersOf<D> }
    : { readonly headers: HeadersOf<D> }
  : { readonly headers?: HeadersOf<D> };

/**
 * What a handler returns: one of the declared statuses, with that status's body type and its
 * required headers (`Location` on a 201 that declares it `required`).
 */
export type RouteReply<R extends RouteResponses> = {
  [S in keyof R & number]: { readonly status: S } & ReplyBody<R[S]> & ReplyHeaders<R[S]>;
}[keyof R & number];

type CheckedResponses<R> = {
  readonly [S in keyof R]: R[S] extends { readonly schema: Joi.Schema<infer T> }
    ? IsUntyped<T> extends true
      ? { readonly schema: UntypedSchema }
      : unknown
    : unknown;
};

/**
 * Whether a route accepts an `Idempotency-Key`: `'optional'` (a request without one runs as
 * always), or `'required'` (one without is 400 `IDEMPOTENCY_KEY_MISSING`).
 */
export type IdempotencyKeyUse = 'optional' | 'required';

/** The conditional requests (RFC 9110 §13) a route takes part in. */
export interface RoutePreconditions {
  /**
   * A `GET` whose 200 carries an `ETag`: an `If-None-Match` naming it is answered 304 without a
   * body. The 200 must declare the `ETag` header as `required`. @default false
   */
  readonly ifNoneMatch?: boolean;
  /**
   * A `PUT`, `PATCH` or `DELETE` that accepts `If-Match` (optional; `*` matches any existing
   * resource): the handler gets it as `ifMatch` and its store compares it in the write's own
   * statement; a stale tag is 412 `PRECONDITION_FAILED`. @default false
   */
  readonly ifMatch?: boolean;
}

/** One route, declared once: the Express route, the handler's types and the OpenAPI operation all come from it. */
export interface RouteDeclaration<P, Q, B, R extends RouteResponses, A extends RouteAuth> {
  /** The HTTP method. */
  readonly method: RouteMethod;
  /** Express-style path below the group's base path: `/` or `/:id`. */
  readonly path: string;
  /** Unique, stable operation id (generated clients name their methods after it). */
  readonly operationId: string;
  /** One line: what the route does. */
  readonly summary: string;
  /** Longer Markdown description. */
  readonly description?: string;
  /** Who may call it; routes with `auth` run authentication before validation. @default false */
  readonly auth?: A;
  /** Path, query and body schemas. @default {} */
  readonly request?: RouteRequest<P, Q, B>;
  /**
   * Express middleware of this route alone, run in order after authentication and before
   * validation (an audit record, a rate limit, a loader that answers 404 itself); what it passes
   * to `next(error)` is answered by the error handler, as for any route. Express's own
   * `RequestHandler`s, so the middleware a service already has keeps working. @default []
   */
  readonly middleware?: readonly RequestHandler[];
  /** Success responses by status: the handler may return only these. */
  readonly responses: R & CheckedResponses<R>;
  /**
   * The error codes this route itself answers with, such as `ENTITY_NOT_FOUND`: codes of the
   * registries in {@link ErrorRegistries} (the platform's, and those the service registers), so a
   * misspelled one does not compile; the document checks them again against its `errorCodes`.
   * Those of the pipeline (400, 401, 413, 415, 422, 500, 503) are added from the declaration.
   * @default []
   */
  readonly errors?: readonly ErrorCode[];
  /**
   * Accepts an `Idempotency-Key` (needs `auth`: a key belongs to the caller and the route). The
   * group's `idempotency` then runs the first request with a key and records its answer in the
   * transaction of its writes, replays it to repeats, and refuses reuse (422) and repeats in
   * flight (409). @default none: the header is ignored
   */
  readonly idempotencyKey?: IdempotencyKeyUse;
  /** Conditional requests: `If-None-Match` on a GET, `If-Match` on a write. @default {} */
  readonly preconditions?: RoutePreconditions;
  /** Does the work: gets the validated values and the principal, returns a declared status with its body and headers. */
  readonly handler: (input: RouteInput<P, Q, B, A>) => RouteReply<NoInfer<R>> | Promise<RouteReply<NoInfer<R>>>;
}

/** A handler's reply once its route's types are dropped: what the group sends. */
export interface SentReply {
  /** A status the route declares. */
  readonly status: number;
  /** Sent as JSON; none for an empty body. */
  readonly body?: unknown;
  /** Response headers by name. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A declared route as {@link createRouteGroup} mounts it and {@link createOpenApiDocument}
 * documents it, whatever its types: the element type of a group, to which every
 * {@link DefinedRoute} is assignable without a cast.
 */
export interface RouteDefinition {
  readonly method: RouteMethod;
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string | undefined;
  readonly auth: RouteAuth;
  readonly request: {
    readonly params?: Joi.ObjectSchema;
    readonly query?: Joi.ObjectSchema;
    readonly body?: Joi.ObjectSchema;
    readonly bodyExample?: unknown;
  };
  /** Middleware after authentication, before validation. */
  readonly middleware: readonly RequestHandler[];
  readonly responses: RouteResponses;
  readonly errors: readonly string[];
  /** Absent on routes declared by a platform copy from before these fields. */
  readonly idempotencyKey?: IdempotencyKeyUse | undefined;
  readonly preconditions?: RoutePreconditions | undefined;
  // Method syntax on purpose: TypeScript compares a method's parameters both ways, so the typed
  // handler of every DefinedRoute<P, Q, B, R, A> fits here, with no cast and no closure per route
  // (a property would compare them contravariantly: no typed handler takes `unknown` values). It
  // holds because the group is the only caller, and it calls each route's handler with what that
  // same route's schemas validated (the schemas P, Q and B were inferred from) and its own auth
  // established. A closure or an existential encoding would still have to turn those validated
  // `unknown` values into P, Q and B, which only the schemas vouch for: a cast either way. This
  // states that trust once, here, and the group erases the routes it is given once, where it
  // takes them.
  handler(input: RouteInput<unknown, unknown, unknown, RouteAuth>): SentReply | Promise<SentReply>;
}

/**
 * A route as {@link defineRoute} returns it, with its types: its schemas' value types, its
 * responses, and its handler, which takes the values those schemas validate and returns only the
 * declared replies. {@link createRouteGroup} takes it as a {@link RouteDefinition}.
 */
export interface DefinedRoute<P, Q, B, R extends RouteResponses, A extends RouteAuth> extends RouteDefinition {
  /** The schemas of path, query and body, with the value types the handler gets. */
  readonly request: RouteRequest<P, Q, B>;
  /** The responses as declared, by status. */
  readonly responses: R;
  /** The route's own error codes, each of a registered registry. */
  readonly errors: readonly ErrorCode[];
  /** The handler as declared. */
  readonly handler: (input: RouteInput<P, Q, B, A>) => RouteReply<R> | Promise<RouteReply<R>>;
}

const WRITE_METHODS = new Set<RouteMethod>(['put', 'patch', 'delete']);

// The opt-in fields of retried and conditional writes, checked once where the route is declared.
function checkWriteSafety(declaration: {
  readonly operationId: string;
  readonly method: RouteMethod;
  readonly auth?: RouteAuth | undefined;
  readonly responses: RouteResponses;
  readonly idempotencyKey?: IdempotencyKeyUse | undefined;
  readonly preconditions?: RoutePreconditions | undefined;
}): void {
  const where = `defineRoute(${declaration.operationId})`;
  const { idempotencyKey, preconditions } = declaration;
  if (idempotencyKey !== undefined) {
    if (idempotencyKey !== 'optional' && idempotencyKey !== 'required')
      throw new TypeError(
        `${where}: idempotencyKey is 'optional' or 'required', got ${JSON.stringify(idempotencyKey)}`,
      );
    if (declaration.method === 'get')
      throw new TypeError(`${where}: a GET is idempotent already; idempotencyKey is for writes`);
    if (declaration.auth === undefined || declaration.auth === false)
      throw new TypeError(`${where}: idempotencyKey needs auth (a key belongs to the caller and the route)`);
  }
  if (preconditions?.ifMatch === true && !WRITE_METHODS.has(declaration.method))
    throw new TypeError(`${where}: preconditions.ifMatch is for PUT, PATCH and DELETE`);
  if (preconditions?.ifNoneMatch === true) {
    if (declaration.method !== 'get') throw new TypeError(`${where}: preconditions.ifNoneMatch is for GET`);
    const headers = declaration.responses[200]?.headers ?? {};
    if (!Object.entries(headers).some(([name, header]) => name.toLowerCase() === 'etag' && header.required === true)) {
      throw new TypeError(
        `${where}: preconditions.ifNoneMatch needs the 200 response to declare a required ETag header`,
      );
    }
  }
}

const PATH = /^\/(?:[A-Za-z0-9._~-]+|:[A-Za-z_][A-Za-z0-9_]*)?(?:\/(?:[A-Za-z0-9._~-]+|:[A-Za-z_][A-Za-z0-9_]*))*$/;

/**
 * Declares a route once, in the spirit of fastify's schema-on-route and Hono's `createRoute`:
 * method, path, auth, the joi schemas of params, query and body, the responses and the handler.
 * The handler receives the validated values typed from the schemas (a schema typed `any`, such
 * as a plain `joi.object({...})`, is a compile error) and returns a reply the compiler checks
 * against the declared statuses, bodies and required headers. {@link createRouteGroup} mounts
 * it (auth → the route's own `middleware` → validation → handler) and {@link createOpenApiDocument}
 * documents it.
 *
 * @see https://fastify.dev/docs/latest/Reference/Routes/
 * @example
 * interface Order { readonly id: string; readonly sku: string }
 * const orderSchema = joi.object<Order, true>({ id: joi.string().guid().required(), sku: joi.string().required() });
 * const createOrder = defineRoute({
 *   method: 'post', path: '/', operationId: 'createOrder', summary: 'Create an order', auth: true,
 *   request: { body: joi.object<{ sku: string }, true>({ sku: joi.string().maxChars(40).required() }) },
 *   responses: { 201: { description: 'Created', schema: orderSchema, headers: { Location: { description: 'The new order', required: true } } } },
 *   handler: async ({ body, principal }) => {
 *     const order: Order = { id: crypto.randomUUID(), sku: `${principal.userId}:${body.sku}` };
 *     return { status: 201, body: order, headers: { Location: `/api/v1/orders/${order.id}` } };
 *   },
 * });
 */
export function defineRoute<
  P = undefined,
  Q = undefined,
  B = undefined,
  const R extends RouteResponses = RouteResponses,
  const A extends RouteAuth = false,
>(
  declaration: RouteDeclaration<P, Q, B, R, A>,
  // NoInfer: a route written where a RouteDefinition is expected (in a group's `routes`) would
  // otherwise infer R from that context, and its replies' statuses would widen to `number`.
): DefinedRoute<NoInfer<P>, NoInfer<Q>, NoInfer<B>, NoInfer<R>, NoInfer<A>> {
  if (!PATH.test(declaration.path))
    throw new TypeError(
      `defineRoute(${declaration.operationId}): path ${JSON.stringify(declaration.path)} is not an Express path such as "/" or "/:id"`,
    );
  if (Object.keys(declaration.responses).length === 0)
    throw new TypeError(`defineRoute(${declaration.operationId}): declare at least one response`);
  checkWriteSafety(declaration);
  return Object.freeze({
    method: declaration.method,
    path: declaration.path,
    operationId: declaration.operationId,
    summary: declaration.summary,
    description: declaration.description,
    auth: declaration.auth ?? false,
    request: Object.freeze({ ...declaration.request }),
    middleware: Object.freeze([...(declaration.middleware ?? [])]),
    responses: declaration.responses,
    errors: Object.freeze([...(declaration.errors ?? [])]),
    idempotencyKey: declaration.idempotencyKey,
    preconditions: Object.freeze({ ...declaration.preconditions }),
    handler: declaration.handler,
  });
}
