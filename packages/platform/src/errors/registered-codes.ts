import type { platformErrors } from './codes.js';

/**
 * The error-code registries ({@link defineErrorCodes}) of the program, by name: the platform's,
 * and each one a service adds by augmenting this interface next to the registry. A route's
 * `errors` accepts their codes only ({@link ErrorCode}), so a misspelled or unregistered code is a
 * compile error where it is written. Keyed by registry, not by code, so that one line registers a
 * registry's every code, and two services' registries of one name are a compile error rather than
 * a silent merge. The document still checks the codes at run time for JavaScript services.
 *
 * @example
 * export const orderErrors = defineErrorCodes({
 *   ORDER_NOT_FOUND: { status: 404, message: 'Order not found', description: 'No such order for the caller.' },
 * });
 * declare module '@org/platform' {
 *   interface ErrorRegistries {
 *     readonly orders: typeof orderErrors;
 *   }
 * }
 */
export interface ErrorRegistries {
  /** The platform's own codes ({@link platformErrors}). */
  readonly platform: typeof platformErrors;
}

/** A code of a registry in {@link ErrorRegistries}: what a route's `errors` may name. */
export type ErrorCode = {
  [Name in keyof ErrorRegistries]: ErrorRegistries[Name] extends { readonly codes: infer Codes }
    ? keyof Codes & string
    : never;
}[keyof ErrorRegistries];
