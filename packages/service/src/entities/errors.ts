import { defineErrorCodes } from '@org/platform';

/**
 * The entity error codes (503 DATABASE_UNAVAILABLE is the platform's). Failure messages are
 * generic on purpose: the cause is logged, never sent.
 *
 * @example
 * throw entityErrors.create('ENTITY_NOT_FOUND');
 */
export const entityErrors = defineErrorCodes({
  ENTITY_NOT_FOUND: {
    status: 404,
    message: 'Entity not found',
    description: "No entity with this id belongs to the caller (another owner's entity looks the same).",
  },
  ENTITY_CREATE_FAILED: {
    status: 500,
    message: 'Failed to create entity',
    description: 'The database refused or failed the insert.',
  },
  ENTITY_LIST_FAILED: {
    status: 500,
    message: 'Failed to list entities',
    description: 'The database failed the page query.',
  },
  ENTITY_GET_FAILED: {
    status: 500,
    message: 'Failed to retrieve entity',
    description: 'The database failed the lookup.',
  },
  ENTITY_UPDATE_FAILED: {
    status: 500,
    message: 'Failed to update entity',
    description: 'The database refused or failed the update.',
  },
  ENTITY_DELETE_FAILED: {
    status: 500,
    message: 'Failed to delete entity',
    description: 'The database failed the delete.',
  },
});

// Routes' `errors` may name these codes: the compiler refuses any other (and a misspelling).
declare module '@org/platform' {
  interface ErrorRegistries {
    readonly entities: typeof entityErrors;
  }
}

/** An entity error code. */
export type EntityErrorCode = keyof typeof entityErrors.codes;
