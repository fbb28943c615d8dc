import Joi from 'joi';
import { env, type ConfigOf, type Environment } from './fields.js';

const ORIGIN = Joi.string().pattern(/^(\*|https?:\/\/[^/\s]+)$/, 'origin');

/**
 * The variables every service reads through the platform. A service adds its own with
 * `loadConfig({ fields })`; the README's configuration table lists both.
 */
export const platformConfigFields = {
  SERVICE_NAME: env.string({ description: 'Service name in logs, `/version` and the OpenAPI title.', default: 'my-service', pattern: /^[a-z0-9][a-z0-9-]{0,62}$/ }),
  SERVICE_VERSION: env.string({ description: "Release version in logs and `/version`; defaults to the service's package.json version, and images bake in the release version.", default: '0.0.0' }),
  ENVIRONMENT: env.oneOf(['local', 'staging', 'production'] as const satisfies readonly Environment[], { description: 'Runtime mode: drives HSTS, secret and CORS guards, log format and Sentry environment.', default: 'local' }),
  LOG_LEVEL: env.oneOf(['error', 'warn', 'info', 'debug'] as const, { description: 'Lowest log level written.', default: 'info' }),
  LOG_FORMAT: env.custom<'json' | 'console'>(
    Joi.string().valid('json', 'console').insensitive().when('ENVIRONMENT', { is: 'local', then: Joi.any().default('console'), otherwise: Joi.any().default('json') }),
    { description: '`json` (one object per line) or `console` (readable text).', defaultText: 'console when local, else json' },
  ),
  HOST: env.string({ description: 'Address the HTTP server binds to.', default: '0.0.0.0' }),
  PORT: env.integer({ description: 'Port the HTTP server listens on (0 picks a free port).', default: 8000, min: 0, max: 65535 }),
  CORS_ORIGINS: env.list({
    description: 'Browser origins allowed by CORS, comma-separated or a JSON array; empty disables CORS. `*` is refused in production.',
    item: ORIGIN,
    productionCheck: (origins) => (origins.includes('*') ? 'the wildcard origin "*" is not allowed in production' : undefined),
  }),
  BODY_LIMIT: env.string({ description: 'Largest accepted request body (`100kb`, `1mb`, or bytes).', default: '100kb', pattern: /^\d+\s*(b|kb|mb)?$/i }),
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: env.integer({ description: 'Event-loop delay (ms) above which requests are shed with 503 `OVERLOADED` and readiness turns red; 0 turns load shedding off.', default: 1000, min: 0, max: 60_000 }),
  GIT_COMMIT: env.string({ description: 'Commit the build was made from, for `/version`.', default: 'unknown' }),
  BUILD_TIME: env.string({ description: 'When the build was made (ISO 8601), for `/version`.', default: 'unknown' }),
  DOCS_ENABLED: env.custom<boolean>(
    Joi.boolean().truthy('1', 'yes', 'on').falsy('0', 'no', 'off').when('ENVIRONMENT', { is: 'production', then: Joi.any().default(false), otherwise: Joi.any().default(true) }),
    { description: 'Serves `/openapi.json` and the interactive `/docs` page.', defaultText: 'true, except in production' },
  ),
  SENTRY_DSN: env.url({ description: 'Sentry DSN; Sentry is off when unset.', secret: true }),
  SHUTDOWN_DELAY_MS: env.custom<number>(
    // Load balancers need a few probe periods to notice readiness turned 503; locally nobody is watching.
    Joi.number().integer().min(0).max(300_000).when('ENVIRONMENT', { is: 'local', then: Joi.any().default(0), otherwise: Joi.any().default(5000) }),
    { description: 'After SIGTERM, how long the server keeps serving with readiness at 503 so load balancers stop sending traffic.', defaultText: '0 when local, else 5000' },
  ),
  SHUTDOWN_TIMEOUT_MS: env.integer({ description: 'After the server stops accepting, how long in-flight requests may take before their connections are cut (exit code 1).', default: 10_000, min: 0, max: 600_000 }),
  SHUTDOWN_HOOK_TIMEOUT_MS: env.integer({ description: 'Default time each shutdown hook (database, HTTP clients) may take.', default: 5000, min: 1, max: 600_000 }),
  KEEP_ALIVE_TIMEOUT_MS: env.integer({ description: "How long an idle keep-alive connection stays open; keep it above the load balancer's idle timeout, or it reuses sockets the server just closed (502s).", default: 65_000, min: 1000, max: 600_000 }),
  READINESS_TIMEOUT_MS: env.integer({ description: 'Default time each `/readyz` check may take before it counts as failed.', default: 2000, min: 1, max: 60_000 }),
  METRICS_ENABLED: env.boolean({ description: 'Serve `GET /metrics` (Prometheus text) and record request metrics.', default: true }),
} as const;

/** The config every platform component can read. Service configs extend it. */
export type PlatformConfig = ConfigOf<typeof platformConfigFields>;
