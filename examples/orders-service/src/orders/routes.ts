import type { Request } from 'express';
import {
  callerAuthorization,
  createError,
  createRouteGroup,
  defineRoute,
  type Auth,
  type HttpClient,
  type RouteGroup,
} from '@org/platform';
import { orderErrors } from './errors.js';
import type { OrderBook } from './order-book.js';
import { createOrderBody, orderIdParams, orderSchema } from './order.js';

/** Options of {@link createOrderRoutes}. */
export interface OrderRoutesOptions {
  /** The entities service's client (`serviceClient('entities-service', ...)`). */
  readonly entities: HttpClient;
  readonly book: OrderBook;
  readonly auth: Pick<Auth, 'requireAuth' | 'requireRole'>;
  /** @default '/api/v1/orders' */
  readonly basePath?: string;
}

/** What the orders service reads of an entity. */
interface EntityView {
  readonly id: string;
  readonly title: string;
}

const upstreamErrors = ['UPSTREAM_ERROR', 'UPSTREAM_TIMEOUT', 'CIRCUIT_OPEN', 'SERVICE_NOT_CONFIGURED'] as const;

/**
 * `POST /api/v1/orders` and `GET /api/v1/orders/{id}`. Placing an order asks the entities
 * service for the entity **with the caller's own token**: the entities service checks the token
 * and the ownership itself, so this service never sees an entity the caller could not. An order
 * of a new item (`title`) creates the entity there first, with `idempotencyKey: true`: the
 * client's retries of that create take effect once.
 *
 * @example
 * const orders = createOrderRoutes({ entities: serviceClient('entities-service', { logger, env: config }), book, auth });
 * createServiceApp({ config, logger, routes: orders });
 */
export function createOrderRoutes(options: OrderRoutesOptions): RouteGroup {
  const { entities, book } = options;
  const basePath = options.basePath ?? '/api/v1/orders';

  async function existingEntity(id: string, req: Request): Promise<EntityView> {
    const entity = await entities.get<EntityView>(`/api/v1/entities/${encodeURIComponent(id)}`, {
      headers: callerAuthorization(req),
    });
    if (entity.status === 404) throw orderErrors.create('ORDER_ENTITY_UNKNOWN');
    // Any other answer but 200 means this service asked wrongly: not the caller's fault.
    if (entity.status !== 200) throw createError('UPSTREAM_ERROR');
    return entity.body;
  }

  // A create retried by the client (a timeout, a dropped connection) must not make two entities:
  // one Idempotency-Key for the call, the same on every retry, and the entities service applies it once.
  async function newEntity(title: string, req: Request): Promise<EntityView> {
    const created = await entities.post<EntityView>('/api/v1/entities', {
      json: { title },
      headers: callerAuthorization(req),
      idempotencyKey: true,
    });
    if (created.status !== 201) throw createError('UPSTREAM_ERROR');
    return created.body;
  }

  const placeOrder = defineRoute({
    method: 'post',
    path: '/',
    operationId: 'createOrder',
    summary: "Order one of the caller's entities",
    auth: true,
    request: { body: createOrderBody },
    responses: {
      201: {
        description: 'Placed',
        schema: orderSchema,
        headers: {
          Location: { description: 'The new order: `/api/v1/orders/{id}`.', required: true, format: 'uri-reference' },
        },
      },
    },
    errors: ['ORDER_ENTITY_UNKNOWN', ...upstreamErrors],
    handler: async ({ body, principal, req }) => {
      const entity =
        body.title === undefined ? await existingEntity(body.entity_id!, req) : await newEntity(body.title, req);
      const order = book.add({
        entity_id: entity.id,
        entity_title: entity.title,
        quantity: body.quantity,
        owner_id: principal.userId,
      });
      return { status: 201, body: order, headers: { Location: `${basePath}/${order.id}` } };
    },
  });
  const getOrder = defineRoute({
    method: 'get',
    path: '/:id',
    operationId: 'getOrder',
    summary: "Get one of the caller's orders",
    auth: true,
    request: { params: orderIdParams },
    responses: { 200: { description: 'The order', schema: orderSchema } },
    errors: ['ORDER_NOT_FOUND'],
    handler: ({ params, principal }) => {
      const order = book.find(principal.userId, params.id);
      if (order === undefined) throw orderErrors.create('ORDER_NOT_FOUND');
      return { status: 200, body: order };
    },
  });
  return createRouteGroup({
    basePath,
    auth: options.auth,
    routes: [placeOrder, getOrder],
    tag: { name: 'orders', description: "Orders of the caller's entities" },
  });
}
