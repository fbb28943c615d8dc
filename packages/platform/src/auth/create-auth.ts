import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ConfigError } from '../config/config-error.js';
import type { Environment } from '../config/fields.js';
import { tryGetRequestContext } from '../context/request-context.js';
import { createError } from '../errors/codes.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { expectedIssuer, LOCAL_SESSION_ISSUER } from './issuer.js';
import { ensureLocalSigningKey } from './local-signing-key.js';
import { roleKey, setPrincipal, tryGetPrincipal, type Principal } from './principal.js';
import { tokenFromRequest } from './request-token.js';
import { registerSessionCacheMetrics } from './session-cache-metrics.js';
import { SESSION_CACHE_DEFAULTS, type SessionCacheStats } from './session-cache.js';
import { createSessionVerifier, type VerificationKey } from './session-verifier.js';

/** The configuration auth reads; `PlatformConfig` satisfies it. */
export interface AuthConfig {
  readonly ENVIRONMENT: Environment;
  /** PEM public key: networkless verification. */
  readonly CLERK_JWT_KEY?: string | undefined;
  /** Secret key: JWKS from the Clerk Backend API. */
  readonly CLERK_SECRET_KEY?: string | undefined;
  /** Allowed `azp`; empty checks nothing. @default [] */
  readonly CLERK_AUTHORIZED_PARTIES?: readonly string[];
  /** Clerk Backend API base URL (JWKS mode). @default 'https://api.clerk.com' */
  readonly CLERK_API_URL?: string;
  /** The `iss` tokens must carry (Clerk Frontend API URL). @default derived from CLERK_PUBLISHABLE_KEY, else not checked */
  readonly CLERK_ISSUER?: string | undefined;
  /** Clerk publishable key: encodes the Frontend API, the issuer when CLERK_ISSUER is unset. */
  readonly CLERK_PUBLISHABLE_KEY?: string | undefined;
  /** Verified session tokens remembered (LRU); 0 verifies every request's token again. @default 10000 */
  readonly AUTH_SESSION_CACHE_SIZE?: number;
}

/** How tokens are verified: a Clerk PEM key, Clerk's JWKS, or the generated local key pair. */
export type AuthMode = 'jwt-key' | 'jwks' | 'local';

/** Options of {@link createAuth}. */
export interface AuthOptions {
  readonly config: AuthConfig;
  readonly logger: Logger;
  /**
   * Folder of the local key pair, used only when ENVIRONMENT=local and no Clerk key is set.
   * Must be git-ignored. Without it, local mode without Clerk keys is refused.
   * @default undefined
   */
  readonly localKeyDir?: string;
  /** Longest wait for Clerk's JWKS before answering 503 `AUTH_UNAVAILABLE`. @default 5000 */
  readonly keyFetchTimeoutMs?: number;
  /**
   * Where the session cache's counts go: `auth_session_cache_hits_total`,
   * `auth_session_cache_misses_total` and `auth_session_cache_entries` on this registry (with its
   * prefix), read at scrape time. Pass the app's metrics (`createMetrics()`) to see them on `/metrics`.
   * @default none
   */
  readonly metrics?: Pick<Metrics, 'registry' | 'prefix'>;
}

/** Authentication for a service's routes, built once by {@link createAuth}. */
export interface Auth {
  readonly mode: AuthMode;
  /** The `iss` tokens must carry, or `undefined` when it is not checked (neither CLERK_ISSUER nor CLERK_PUBLISHABLE_KEY). */
  readonly issuer: string | undefined;
  /** Middleware: 401 unless the request carries a valid Clerk session token. */
  requireAuth(): RequestHandler;
  /** Middleware: like `requireAuth()`, then 403 `FORBIDDEN` unless the caller has one of `roles`. */
  requireRole(...roles: readonly string[]): RequestHandler;
  /** Verifies the request's token (once per request) and returns its principal; throws the 401/503 ServiceError. */
  authenticate(req: Request): Promise<Principal>;
  /** Hits, misses and size of the verified-session cache; `undefined` when AUTH_SESSION_CACHE_SIZE is 0. */
  sessionCacheStats(): SessionCacheStats | undefined;
}

function resolveKey(options: AuthOptions): {
  mode: AuthMode;
  key: VerificationKey;
  localKeyPath?: string;
  created?: boolean;
} {
  const { config } = options;
  if (config.CLERK_JWT_KEY !== undefined)
    return { mode: 'jwt-key', key: { kind: 'jwt-key', jwtKey: config.CLERK_JWT_KEY } };
  if (config.CLERK_SECRET_KEY !== undefined) {
    return {
      mode: 'jwks',
      key: {
        kind: 'jwks',
        secretKey: config.CLERK_SECRET_KEY,
        ...(config.CLERK_API_URL === undefined ? {} : { apiUrl: config.CLERK_API_URL }),
      },
    };
  }
  if (config.ENVIRONMENT !== 'local') {
    throw new ConfigError([
      {
        variable: 'CLERK_JWT_KEY',
        message:
          'is required outside local unless CLERK_SECRET_KEY is set (tokens cannot be verified without a Clerk key)',
      },
    ]);
  }
  if (options.localKeyDir === undefined) {
    throw new ConfigError([
      { variable: 'CLERK_JWT_KEY', message: 'is not set and createAuth() got no localKeyDir for a local key pair' },
    ]);
  }
  const local = ensureLocalSigningKey(options.localKeyDir);
  return {
    mode: 'local',
    key: { kind: 'jwt-key', jwtKey: local.publicKeyPem },
    localKeyPath: local.path,
    created: local.created,
  };
}

function challenge(code: string): Readonly<Record<string, string>> | undefined {
  if (code === 'AUTH_MISSING_TOKEN') return { 'WWW-Authenticate': 'Bearer' };
  if (code === 'AUTH_EXPIRED_TOKEN' || code === 'AUTH_INVALID_TOKEN')
    return { 'WWW-Authenticate': 'Bearer error="invalid_token"' };
  return undefined;
}

/**
 * Builds authentication from config, once: `CLERK_JWT_KEY` (networkless) wins over
 * `CLERK_SECRET_KEY` (JWKS, fetched and cached by `@clerk/backend`); with neither,
 * ENVIRONMENT=local uses a key pair generated once under `localKeyDir`, and any other
 * environment is a {@link ConfigError}. The token's `iss` must be `CLERK_ISSUER`, else the
 * Frontend API `CLERK_PUBLISHABLE_KEY` encodes (unchecked with neither; local mode checks its
 * own issuer). Tokens come from `Authorization: Bearer` or the `__session` cookie. Missing → 401 `AUTH_MISSING_TOKEN`, expired → 401 `AUTH_EXPIRED_TOKEN`,
 * any other failure → 401 `AUTH_INVALID_TOKEN`, keys unreachable → 503 `AUTH_UNAVAILABLE`.
 * On success the principal is on the request ({@link getPrincipal}) and `user_id` in the
 * request scope, so every later log line carries it. Tokens never reach a log.
 * A verified token is remembered (`AUTH_SESSION_CACHE_SIZE` tokens, LRU, keyed by its SHA-256)
 * until the instant the SDK would call it expired, and at most 60 s: the next request of the
 * session costs a hash and a lookup instead of a signature check. Lasting refusals are
 * remembered for 1 s; `AUTH_SESSION_CACHE_SIZE=0` verifies every request's token again.
 *
 * @see https://clerk.com/docs/reference/backend/verify-token
 * @example
 * const metrics = createMetrics();
 * const auth = createAuth({ config, logger, metrics, localKeyDir: join(serviceRoot, '.data', 'auth') });
 * const entities = createRouteGroup({ basePath: '/api/v1/entities', auth, routes: [createEntity, deleteEntity] });
 * adminRouter.use(auth.requireRole('org:admin')); // plain Express middleware outside declared routes
 */
export function createAuth(options: AuthOptions): Auth {
  const { config, logger } = options;
  const { mode, key, localKeyPath, created } = resolveKey(options);
  const authorizedParties = config.CLERK_AUTHORIZED_PARTIES ?? [];
  // Local tokens are minted here, with local mode's own issuer: checked like Clerk's.
  const issuer = mode === 'local' ? LOCAL_SESSION_ISSUER : expectedIssuer(config);
  const cacheSize = config.AUTH_SESSION_CACHE_SIZE ?? SESSION_CACHE_DEFAULTS.maxEntries;
  const verifier = createSessionVerifier({
    key,
    authorizedParties,
    ...(issuer === undefined ? {} : { issuer }),
    ...(options.keyFetchTimeoutMs === undefined ? {} : { keyFetchTimeoutMs: options.keyFetchTimeoutMs }),
    cache: cacheSize === 0 ? false : { maxEntries: cacheSize },
  });
  if (options.metrics !== undefined && cacheSize > 0)
    registerSessionCacheMetrics(options.metrics, () => verifier.cacheStats());
  logger.info('auth_configured', {
    mode,
    authorized_parties: authorizedParties,
    issuer: issuer ?? null,
    session_cache_size: cacheSize,
    ...(localKeyPath === undefined ? {} : { local_key_path: localKeyPath, local_key_created: created }),
  });

  async function authenticate(req: Request): Promise<Principal> {
    const known = tryGetPrincipal(req);
    if (known !== undefined) return known;
    const found = tokenFromRequest(req);
    if (found === undefined) {
      logger.debug('auth_rejected', { code: 'AUTH_MISSING_TOKEN', reason: 'no-token' });
      throw createError('AUTH_MISSING_TOKEN', { headers: challenge('AUTH_MISSING_TOKEN')! });
    }
    const result = await verifier.verify(found.token);
    if (!result.ok) {
      // The reason and carrier only: never the token, never the SDK's message.
      logger.log(result.code === 'AUTH_UNAVAILABLE' ? 'warn' : 'debug', 'auth_rejected', {
        code: result.code,
        reason: result.reason,
        carrier: found.carrier,
      });
      const headers = challenge(result.code);
      throw createError(result.code, {
        ...(result.cause === undefined ? {} : { cause: result.cause }),
        ...(headers === undefined ? {} : { headers }),
      });
    }
    setPrincipal(req, result.principal);
    const context = tryGetRequestContext();
    if (context !== undefined) context.userId = result.principal.userId;
    return result.principal;
  }

  function requireAuth(): RequestHandler {
    return function requireAuthMiddleware(req: Request, _res: Response, next: NextFunction): void {
      authenticate(req).then(() => next(), next);
    };
  }

  function requireRole(...roles: readonly string[]): RequestHandler {
    if (roles.length === 0 || roles.some((role) => typeof role !== 'string' || role.trim() === '')) {
      throw new TypeError('requireRole() needs at least one non-empty role, such as "org:admin"');
    }
    const wanted = new Set(roles.map((role) => roleKey(role.trim())));
    return function requireRoleMiddleware(req: Request, _res: Response, next: NextFunction): void {
      authenticate(req).then((principal) => {
        if (principal.roles.some((role) => wanted.has(role))) {
          next();
          return;
        }
        logger.debug('auth_forbidden', { required_roles: [...wanted], roles: principal.roles });
        next(createError('FORBIDDEN'));
      }, next);
    };
  }

  return Object.freeze({
    mode,
    issuer,
    requireAuth,
    requireRole,
    authenticate,
    sessionCacheStats: () => verifier.cacheStats(),
  });
}
