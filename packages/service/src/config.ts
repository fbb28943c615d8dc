import {
  env,
  loadConfig,
  platformConfigFields,
  type ConfigOf,
  type ConfigProblem,
  type LoadConfigOptions,
} from '@org/platform';

/** The sample service's own variables (the platform's come with loadConfig). */
export const serviceConfigFields = {
  DATABASE_URL: env.url({
    description:
      'PostgreSQL server for the entities (`postgres://user:password@host:5432/db`); the migrations are applied at start. Unset: embedded PGlite (or Supabase when SUPABASE_URL is set); production needs it or the Supabase pair.',
    schemes: ['postgres', 'postgresql'],
    secret: true,
  }),
  SUPABASE_URL: env.url({
    description:
      'Supabase project URL; with SUPABASE_SERVICE_KEY the entities live in Supabase (migrations are applied with `supabase db push`).',
  }),
  SUPABASE_SERVICE_KEY: env.string({
    description: 'Supabase service-role key, used only by the service (it bypasses RLS; the service filters by owner).',
    secret: true,
  }),
  DATABASE_TIMEOUT_MS: env.integer({
    description:
      "Client-side deadline of each database call on PostgreSQL or Supabase, waiting for a pooled connection included (also the server's `statement_timeout`): a database that stops answering gives 503 `DATABASE_UNAVAILABLE` after this, and the connection is dropped.",
    default: 5000,
    min: 100,
    max: 60_000,
  }),
  PGLITE_DIR: env.string({
    description:
      'Folder of the embedded PGlite database when neither Supabase nor DATABASE_URL is set (a relative path is taken from the service package folder; `.data/` is git-ignored). Refused in production.',
    default: '.data/pglite',
  }),
} as const;

/** Every variable the service reads: the README table and `.env.example` are generated from this. */
export const allConfigFields = { ...platformConfigFields, ...serviceConfigFields };

/** Everything the service is configured with. */
export type ServiceConfig = ConfigOf<typeof platformConfigFields & typeof serviceConfigFields>;

/**
 * The store rules across variables: each Supabase variable needs the other, and production needs
 * Supabase or DATABASE_URL (the embedded PGlite is for local use only).
 *
 * @example
 * storeProblems({ ENVIRONMENT: 'production' }); // [{ variable: 'DATABASE_URL', message: 'production needs ...' }]
 */
export function storeProblems(
  config: Partial<Pick<ServiceConfig, 'ENVIRONMENT' | 'DATABASE_URL' | 'SUPABASE_URL' | 'SUPABASE_SERVICE_KEY'>>,
): ConfigProblem[] {
  const { SUPABASE_URL: url, SUPABASE_SERVICE_KEY: serviceKey } = config;
  if (url === undefined && serviceKey !== undefined)
    return [{ variable: 'SUPABASE_URL', message: 'is required when SUPABASE_SERVICE_KEY is set' }];
  if (url !== undefined && serviceKey === undefined)
    return [{ variable: 'SUPABASE_SERVICE_KEY', message: 'is required when SUPABASE_URL is set' }];
  if (url === undefined && config.DATABASE_URL === undefined && config.ENVIRONMENT === 'production') {
    return [
      {
        variable: 'DATABASE_URL',
        message:
          'production needs SUPABASE_URL + SUPABASE_SERVICE_KEY or DATABASE_URL; the embedded PGlite store is for local use only',
      },
    ];
  }
  return [];
}

/**
 * Loads the service's config: the platform's variables plus the service's own, with the store
 * rules checked alongside, so one report names every problem.
 */
export function loadServiceConfig(
  options: Omit<LoadConfigOptions<typeof serviceConfigFields>, 'fields' | 'check'> & { version: string },
): ServiceConfig {
  const { version, ...rest } = options;
  return loadConfig({
    ...rest,
    fields: serviceConfigFields,
    defaults: { SERVICE_NAME: 'entities-service', SERVICE_VERSION: version, ...rest.defaults },
    check: storeProblems,
  });
}
