import type Joi from 'joi';
import { joi } from '@org/platform';

/** An order of one of the caller's entities. */
export interface Order {
  readonly id: string;
  readonly entity_id: string;
  /** The entity's title when the order was placed, as the entities service returned it. */
  readonly entity_title: string;
  readonly quantity: number;
  readonly owner_id: string;
  readonly created_at: string;
}

/** What `POST /api/v1/orders` accepts: one of the caller's entities, or a new one by its title. */
export interface CreateOrderBody {
  readonly entity_id?: string;
  readonly title?: string;
  readonly quantity: number;
}

const uuid = joi.string().guid({ separator: '-', wrapper: false }).lowercase();

/** `POST` body: the owner comes from the token. */
export const createOrderBody: Joi.ObjectSchema<CreateOrderBody> = joi
  .object<CreateOrderBody, true>({
    entity_id: uuid.description("One of the caller's entities (UUID). Not with `title`."),
    title: joi
      .string()
      .notBlank()
      .maxChars(255)
      .description(
        'A new item: the entities service creates the entity first (once, however often the call is retried). Not with `entity_id`.',
      ),
    quantity: joi.number().integer().min(1).max(1000).required(),
  })
  .xor('entity_id', 'title')
  .label('OrderCreate');

/** `GET /{id}` path. */
export const orderIdParams: Joi.ObjectSchema<{ id: string }> = joi.object<{ id: string }, true>({
  id: uuid.required().description('The order id (UUID).'),
});

/** An order as answered. */
export const orderSchema: Joi.ObjectSchema<Order> = joi
  .object<Order, true>({
    id: uuid.required(),
    entity_id: uuid.required(),
    entity_title: joi.string().required(),
    quantity: joi.number().integer().required(),
    owner_id: joi.string().required(),
    created_at: joi.string().isoDate().required(),
  })
  .label('Order');
