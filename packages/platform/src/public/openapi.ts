/**
 * @org/platform/openapi: the JSON Schema a Joi schema documents as, for tools that build on the
 * OpenAPI document.
 * @packageDocumentation
 */
export { type JsonSchema, toJsonSchema } from '../docs/json-schema.js';
