import { fileURLToPath } from 'node:url';
import { env, loadConfig, type ConfigOf, type LoadConfigOptions, type platformConfigFields } from '@org/platform';

/** The orders service's own variables (the platform's come with loadConfig). */
export const ordersConfigFields = {
  ENTITIES_SERVICE_URL: env.url({
    description:
      "Base URL of the entities service (`http://entities-service:8000`), read by `serviceClient('entities-service')`. Unset: order calls answer 503 `SERVICE_NOT_CONFIGURED` and a warning is logged at start.",
    requiredInProduction: true,
  }),
  LOCAL_AUTH_DIR: env.string({
    description:
      "Local mode without Clerk keys: folder of the key pair that signs and verifies local session tokens. Every service of a local fleet points at the same folder, so one `npm run token` works for all; by default the entities service's (a relative path is taken from this package's folder).",
    default: '../../packages/service/.data/auth',
  }),
} as const;

/** Everything the orders service is configured with. */
export type OrdersConfig = ConfigOf<typeof platformConfigFields & typeof ordersConfigFields>;

/** This package's folder: relative paths in the config are taken from here, not from the working directory. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Loads the orders service's config: the platform's variables plus its own, every problem in one report.
 *
 * @example
 * const config = loadOrdersConfig({ version: pkg.version });
 * serviceClient('entities-service', { logger, env: config });
 */
export function loadOrdersConfig(
  options: Omit<LoadConfigOptions<typeof ordersConfigFields>, 'fields'> & { version: string },
): OrdersConfig {
  const { version, ...rest } = options;
  return loadConfig({
    ...rest,
    fields: ordersConfigFields,
    defaults: { SERVICE_NAME: 'orders-service', SERVICE_VERSION: version, PORT: 8001, ...rest.defaults },
  });
}
