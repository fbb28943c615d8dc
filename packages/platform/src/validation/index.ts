export { errorTypeId } from './error-types.js';
export { joi, type PlatformJoi, type PlatformStringSchema } from './joi.js';
export { validate, type RequestSchemas, type ValidatedValues, type ValidationMiddleware } from './validate.js';
