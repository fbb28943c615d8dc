export { errorTypeId } from './error-types.js';
export { joi, type PlatformJoi, type PlatformStringSchema } from './joi.js';
