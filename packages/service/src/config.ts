import { loadConfig, platformConfigFields, type ConfigOf, type LoadConfigOptions } from '@org/platform';

/** The sample service's own variables (the platform's come with loadConfig). */
export const serviceConfigFields = {} as const;

/** Every variable the service reads: the README table and `.env.example` are generated from this. */
export const allConfigFields = { ...platformConfigFields, ...serviceConfigFields };

/** Everything the service is configured with. */
export type ServiceConfig = ConfigOf<typeof platformConfigFields & typeof serviceConfigFields>;

/** Loads the service's config: the platform's variables plus the service's own. */
export function loadServiceConfig(options: Omit<LoadConfigOptions<typeof serviceConfigFields>, 'fields'> & { version: string }): ServiceConfig {
  const { version, ...rest } = options;
  return loadConfig({
    ...rest,
    fields: serviceConfigFields,
    defaults: { SERVICE_NAME: 'entities-service', SERVICE_VERSION: version, ...rest.defaults },
  });
}
