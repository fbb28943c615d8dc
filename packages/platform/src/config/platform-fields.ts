import { isPublishableKey } from '@clerk/shared/keys';
import Joi from 'joi';
import { jwtKeyProblem, normalizePem } from './pem.js';
import { env, type ConfigOf, type Environment } from './fields.js';

const ORIGIN = Joi.string().pattern(/^(\*|https?:\/\/[^/\s]+)$/, 'origin');
const PARTY = Joi.string().pattern(/^https?:\/\/[^/\s]+$/, 'origin');

// A PEM public key, `\n`-escaped or not; outside local one of the two Clerk keys must be set.
const CLERK_JWT_KEY = Joi.string()
  .custom((value: string, helpers) => {
    const pem = normalizePem(value);
    const problem =
      pem === undefined
        ? 'is not a PEM public key (copy "PEM Public Key" from the Clerk dashboard)'
        : jwtKeyProblem(pem);
    return problem === undefined ? pem : helpers.message({ custom: problem });
  })
  // Only for a valid non-local ENVIRONMENT: a mistyped one is reported once, as itself.
  .when('ENVIRONMENT', {
    is: Joi.valid('staging', 'production'),
    then: Joi.string().when('CLERK_SECRET_KEY', {
      not: Joi.exist(),
      then: Joi.required().messages({
        'any.required':
          'is required outside local unless CLERK_SECRET_KEY is set (tokens cannot be verified without a Clerk key)',
      }),
    }),
  });

// The Frontend API URL as Clerk writes it in `iss`: no trailing slash.
const CLERK_ISSUER = Joi.string()
  .uri({ scheme: ['https', 'http'] })
  .custom((value: string) => value.replace(/\/+$/, ''));

// Clerk's own parser decides what a publishable key is (pk_test_/pk_live_ + base64 of the Frontend API host + '$').
const CLERK_PUBLISHABLE_KEY = Joi.string().custom((value: string, helpers) =>
  isPublishableKey(value)
    ? value
    : helpers.message({
        custom: 'must be a Clerk publishable key (pk_live_... or pk_test_..., copied from the Clerk dashboard)',
      }),
);

/**
 * The variables every service reads through the platform. A service adds its own with
 * `loadConfig({ fields })`; the README's configuration table lists both.
 */
export const platformConfigFields = {
  SERVICE_NAME: env.string({
    description: 'Service name in logs, `/version` and the OpenAPI title.',
    default: 'my-service',
    pattern: /^[a-z0-9][a-z0-9-]{0,62}$/,
  }),
  SERVICE_VERSION: env.string({
    description:
      "Release version in logs and `/version`; defaults to the service's package.json version, and images bake in the release version.",
    default: '0.0.0',
  }),
  ENVIRONMENT: env.oneOf(['local', 'staging', 'production'] as const satisfies readonly Environment[], {
    description: 'Runtime mode: drives HSTS, secret and CORS guards, log format and Sentry environment.',
    default: 'local',
  }),
  LOG_LEVEL: env.oneOf(['error', 'warn', 'info', 'debug'] as const, {
    description: 'Lowest log level written.',
    default: 'info',
  }),
  LOG_FORMAT: env.custom<'json' | 'console'>(
    Joi.string()
      .valid('json', 'console')
      .insensitive()
      .when('ENVIRONMENT', { is: 'local', then: Joi.any().default('console'), otherwise: Joi.any().default('json') }),
    {
      description: '`json` (one object per line) or `console` (readable text).',
      defaultText: 'console when local, else json',
    },
  ),
  HOST: env.custom<string>(
    // Locally only this machine may connect (local mode has generated keys and serves /docs); images set HOST=0.0.0.0.
    Joi.string().when('ENVIRONMENT', {
      is: 'local',
      then: Joi.any().default('127.0.0.1'),
      otherwise: Joi.any().default('0.0.0.0'),
    }),
    {
      description:
        'Address the HTTP server binds to. Locally the loopback address, so only this machine connects; images set `HOST=0.0.0.0`. Local mode on another address logs a warning at start.',
      defaultText: '127.0.0.1 when local, else 0.0.0.0',
    },
  ),
  PORT: env.integer({
    description: 'Port the HTTP server listens on (0 picks a free port).',
    default: 8000,
    min: 0,
    max: 65535,
  }),
  CORS_ORIGINS: env.list({
    description:
      'Browser origins allowed by CORS, comma-separated or a JSON array; empty disables CORS. `*` is refused in production.',
    item: ORIGIN,
    productionCheck: (origins) =>
      origins.includes('*') ? 'the wildcard origin "*" is not allowed in production' : undefined,
  }),
  BODY_LIMIT: env.string({
    description: 'Largest accepted request body (`100kb`, `1mb`, or bytes).',
    default: '100kb',
    pattern: /^\d+\s*(b|kb|mb)?$/i,
  }),
  REQUEST_TIMEOUT_MS: env.integer({
    description:
      'Longest a request may take to arrive (headers and body); slower clients get 408 `REQUEST_TIMEOUT`. Headers must arrive within the smaller of this and 20 s.',
    default: 30_000,
    min: 1000,
    max: 600_000,
  }),
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: env.integer({
    description:
      'Event-loop delay (ms) above which requests are shed with 503 `OVERLOADED` and readiness turns red; 0 turns load shedding off.',
    default: 1000,
    min: 0,
    max: 60_000,
  }),
  GIT_COMMIT: env.string({ description: 'Commit the build was made from, for `/version`.', default: 'unknown' }),
  BUILD_TIME: env.string({ description: 'When the build was made (ISO 8601), for `/version`.', default: 'unknown' }),
  DOCS_ENABLED: env.custom<boolean>(
    Joi.boolean()
      .truthy('1', 'yes', 'on')
      .falsy('0', 'no', 'off')
      .when('ENVIRONMENT', { is: 'production', then: Joi.any().default(false), otherwise: Joi.any().default(true) }),
    {
      description: 'Serves `/openapi.json` and the interactive `/docs` page.',
      defaultText: 'true, except in production',
    },
  ),
  DOCS_SERVER_URLS: env.list({
    description:
      'Base URLs the OpenAPI document lists as `servers` (`https://api.example.com`: where clients reach the service, behind the gateway), comma-separated; a path such as `/` is relative to the document. Empty: `/`, the origin that serves the document.',
    item: Joi.string().pattern(/^(https?:\/\/[^/\s]+(\/[^\s]*)?|\/[^\s]*)$/, 'URL or absolute path'),
  }),
  SENTRY_DSN: env.url({ description: 'Sentry DSN; Sentry is off when unset.', secret: true }),
  SHUTDOWN_DELAY_MS: env.custom<number>(
    // Load balancers need a few probe periods to notice readiness turned 503; locally nobody is watching.
    Joi.number()
      .integer()
      .min(0)
      .max(300_000)
      .when('ENVIRONMENT', { is: 'local', then: Joi.any().default(0), otherwise: Joi.any().default(5000) }),
    {
      description:
        'After SIGTERM, how long the server keeps serving with readiness at 503 so load balancers stop sending traffic.',
      defaultText: '0 when local, else 5000',
    },
  ),
  SHUTDOWN_TIMEOUT_MS: env.integer({
    description:
      'After the server stops accepting, how long in-flight requests may take before their connections are cut (exit code 1).',
    default: 10_000,
    min: 0,
    max: 600_000,
  }),
  SHUTDOWN_HOOK_TIMEOUT_MS: env.integer({
    description: 'Default time each shutdown hook (database, HTTP clients) may take.',
    default: 5000,
    min: 1,
    max: 600_000,
  }),
  KEEP_ALIVE_TIMEOUT_MS: env.integer({
    description:
      "How long an idle keep-alive connection stays open; keep it above the load balancer's idle timeout, or it reuses sockets the server just closed (502s).",
    default: 65_000,
    min: 1000,
    max: 600_000,
  }),
  READINESS_TIMEOUT_MS: env.integer({
    description: 'Default time each `/readyz` check may take before it counts as failed.',
    default: 2000,
    min: 1,
    max: 60_000,
  }),
  IDEMPOTENCY_TTL_SECONDS: env.integer({
    description:
      'How long the recorded answer of a request with an `Idempotency-Key` is kept (a repeat within it gets that answer again, across restarts); expired records are purged in the background.',
    default: 86_400,
    min: 1,
    max: 2_592_000,
  }),
  METRICS_ENABLED: env.boolean({
    description: 'Serve `GET /metrics` (Prometheus text) and record request metrics.',
    default: true,
  }),
  CLERK_JWT_KEY: env.custom<string | undefined>(CLERK_JWT_KEY, {
    description:
      'Clerk "PEM Public Key" (RSA 2048; `\\n`-escaped newlines accepted): session tokens are verified without any network call. Takes precedence over CLERK_SECRET_KEY. Outside local one of the two is required; in local with neither, a generated key pair under `.data/` is used (`npm run token` mints tokens).',
    defaultText: '(unset)',
    // Not a secret, but a multi-line PEM is easier to hand over as a file.
    acceptsFile: true,
  }),
  CLERK_SECRET_KEY: env.custom<string | undefined>(
    // Own message: the default pattern message would quote the value, and this is a secret.
    Joi.string()
      .pattern(/^sk_(?:test|live)_\S+$/)
      .messages({ 'string.pattern.base': 'must be a Clerk secret key (sk_live_... or sk_test_...)' }),
    {
      description:
        'Clerk secret key (`sk_live_...`/`sk_test_...`): the signing keys (JWKS) are fetched from the Clerk Backend API and cached by the SDK. Used when CLERK_JWT_KEY is unset.',
      defaultText: '(unset)',
      secret: true,
    },
  ),
  CLERK_AUTHORIZED_PARTIES: env.list({
    description:
      'Origins allowed in the `azp` claim of session tokens (`https://app.example.com`), comma-separated; checked only when set. Required in production.',
    item: PARTY,
    requiredInProduction: true,
  }),
  CLERK_ISSUER: env.custom<string | undefined>(CLERK_ISSUER, {
    description:
      'The `iss` every session token must carry: the Clerk Frontend API URL (`https://clerk.example.com`); a token from another issuer, or without one, gets 401. Unset: derived from CLERK_PUBLISHABLE_KEY; with neither, `iss` is not checked (a warning at start in production). Local mode checks its own issuer.',
    defaultText: '(unset)',
    productionCheck: (url) =>
      url === undefined || url.startsWith('https://') ? undefined : 'must be an https:// URL in production',
  }),
  CLERK_PUBLISHABLE_KEY: env.custom<string | undefined>(CLERK_PUBLISHABLE_KEY, {
    description:
      'Clerk publishable key (`pk_live_...`/`pk_test_...`): it encodes the Frontend API, from which the expected `iss` of session tokens is derived when CLERK_ISSUER is unset.',
    defaultText: '(unset)',
  }),
  CLERK_API_URL: env.url({
    description:
      'Clerk Backend API base URL; the JWKS is read from `<url>/v1/jwks` with CLERK_SECRET_KEY. Change it only for a proxy or tests.',
    default: 'https://api.clerk.com',
    productionCheck: (url) => (url.startsWith('https://') ? undefined : 'must be an https:// URL in production'),
  }),
  AUTH_SESSION_CACHE_SIZE: env.integer({
    description:
      "Session tokens remembered once verified (an LRU keyed by a SHA-256 of the token), so a session's later requests skip the signature check: each until the moment it expires (`exp` plus the 5 s clock skew) and at most 60 s; a refused token is remembered for 1 s, unless the refusal could change (not valid yet, keys unreachable). Hits and misses are on `/metrics`. 0 turns the cache off.",
    default: 10_000,
    min: 0,
    max: 1_000_000,
  }),
} as const;

/** The config every platform component can read. Service configs extend it. */
export type PlatformConfig = ConfigOf<typeof platformConfigFields>;
