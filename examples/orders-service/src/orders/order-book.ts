import { randomUUID } from 'node:crypto';
import type { Order } from './order.js';

/** Where orders are kept. */
export interface OrderBook {
  add(order: Omit<Order, 'id' | 'created_at'>): Order;
  /** The order, if it exists and belongs to `ownerId` (another owner's order looks missing). */
  find(ownerId: string, id: string): Order | undefined;
}

/**
 * Orders in this process's memory, per owner. The example is about calling another service, so
 * its own storage stays this small: a restart forgets the orders, and two instances do not share them.
 *
 * @example
 * const book = createMemoryOrderBook();
 * const order = book.add({ entity_id, entity_title: 'Report', quantity: 2, owner_id: 'user_1' });
 */
export function createMemoryOrderBook(): OrderBook {
  const orders = new Map<string, Order>();
  return {
    add(fields) {
      const order: Order = { id: randomUUID(), created_at: new Date().toISOString(), ...fields };
      orders.set(order.id, order);
      return order;
    },
    find(ownerId, id) {
      const order = orders.get(id);
      return order?.owner_id === ownerId ? order : undefined;
    },
  };
}
