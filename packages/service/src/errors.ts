import { platformErrors, type ErrorCodeRegistry } from '@org/platform';

/** Every error-code registry whose codes this service can answer with (the README table's source). */
export const errorRegistries: readonly ErrorCodeRegistry<string>[] = [platformErrors];
