import { defineErrorCodes } from '@org/platform';

/** The orders service's own error codes. */
export const orderErrors = defineErrorCodes({
  ORDER_NOT_FOUND: {
    status: 404,
    message: 'Order not found',
    description: 'No order with this id belongs to the caller.',
  },
  ORDER_ENTITY_UNKNOWN: {
    status: 422,
    message: 'The entity does not exist or is not yours.',
    description: "The entities service, asked with the caller's own token, does not know the entity.",
  },
});

// Routes' `errors` may name these codes: the compiler refuses any other (and a misspelling).
declare module '@org/platform' {
  interface ErrorRegistries {
    readonly orders: typeof orderErrors;
  }
}
