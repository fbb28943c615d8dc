/**
 * @org/platform/errors: the unified error shape and the error catalog as data, for tools and for
 * code that writes error bodies itself: categories, the body of an error, the Markdown table of a
 * registry.
 * @packageDocumentation
 */
export { ERROR_CATEGORIES, errorCategory } from '../errors/categories.js';
export { renderErrorCodeTable } from '../errors/describe.js';
export { type ErrorBody, toErrorBody } from '../errors/error-body.js';
