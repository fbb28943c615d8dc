import { platformErrors, type ErrorCodeRegistry } from '@org/platform';
import { entityErrors } from './entities/index.js';

/** Every error-code registry whose codes this service can answer with (the README table's source). */
export const errorRegistries: readonly ErrorCodeRegistry<string>[] = [platformErrors, entityErrors];
