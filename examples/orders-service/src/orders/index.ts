export { orderErrors } from './errors.js';
export { createMemoryOrderBook, type OrderBook } from './order-book.js';
export { createOrderBody, orderIdParams, orderSchema, type CreateOrderBody, type Order } from './order.js';
export { createOrderRoutes, type OrderRoutesOptions } from './routes.js';
