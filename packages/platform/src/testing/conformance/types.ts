import type { RequestListener } from 'node:http';

/** The operational routes the contract defines for every service. */
export type OperationalRoute = '/healthz' | '/readyz' | '/version';

/**
 * What the kit checks: an in-process app (an Express app or any Node request listener; the kit
 * serves it on an ephemeral port on 127.0.0.1 and closes it after) or a running service's URL.
 */
export type ConformanceTarget = { readonly app: RequestListener } | { readonly baseUrl: string };

/** A route the caller names, `{ method: 'GET', path: '/api/v1/entities' }`. */
export interface RouteRef {
  /** HTTP method, e.g. `GET`. */
  readonly method: string;
  /** Path from the service root, e.g. `/api/v1/entities`. */
  readonly path: string;
}

/**
 * A route that creates something and accepts an `Idempotency-Key`, for the `idempotency` check:
 * it sends `body` twice with one fresh key (the second must be the recorded answer), then
 * `otherBody` with that key (422 `IDEMPOTENCY_KEY_REUSED`), then `body` with malformed keys (400).
 * Against a deployed service this creates one real resource.
 */
export interface IdempotentRouteRef extends RouteRef {
  /** A body the route accepts (sent as JSON). */
  readonly body: unknown;
  /** Another body the route accepts, different from `body`. */
  readonly otherBody: unknown;
  /** Headers the route needs, such as `Authorization`. @default {} */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /**
   * Operational routes that must exist. A route not listed is checked when the target has it
   * and skipped when it answers 404.
   * @default ['/healthz', '/readyz', '/version']
   */
  readonly requiredRoutes?: readonly OperationalRoute[];
  /** A route that needs authentication; called without a token it must answer 401 `AUTH_MISSING_TOKEN`. Unset: the check is skipped. */
  readonly protectedRoute?: RouteRef;
  /** A create route that opts into idempotency keys, with what to send it. Unset: the `idempotency` check is skipped. */
  readonly idempotentRoute?: IdempotentRouteRef;
  /** An origin the service allows for CORS (`https://app.example.com`). Unset: the CORS check is skipped. */
  readonly allowedOrigin?: string;
  /** Path that receives the malformed JSON body (the body parser runs before routing). @default '/healthz' */
  readonly malformedJsonPath?: string;
  /** Whether HSTS must be sent. @default derived from `/version`'s environment (`production` → true); unchecked without `/version` */
  readonly expectHsts?: boolean;
  /** The release `/version` must report. Unset: any non-empty version passes. */
  readonly expectedVersion?: string;
  /** `/readyz` answering 503 fails the run. @default true */
  readonly expectReady?: boolean;
  /** Time limit of each request, in milliseconds. @default 5000 */
  readonly timeoutMs?: number;
}

/** Outcome of one check. */
export type ConformanceStatus = 'pass' | 'fail' | 'skip';

/** One check of the report. */
export interface ConformanceCheckResult {
  /** Stable id, e.g. `unknown-route`. */
  readonly id: string;
  /** What the check proves, one line. */
  readonly title: string;
  /** `pass`, `fail` or `skip`. */
  readonly status: ConformanceStatus;
  /** What is wrong, one sentence each; empty unless `status` is `fail`. */
  readonly problems: readonly string[];
  /** Why the check was skipped. */
  readonly reason?: string;
  /** Wall time of the check. */
  readonly durationMs: number;
}

/** The structured result of {@link runConformance}. */
export interface ConformanceReport {
  /** The base URL that was checked (an ephemeral 127.0.0.1 URL for in-process apps). */
  readonly target: string;
  /** True when no check failed. */
  readonly passed: boolean;
  /** How many checks passed, failed and were skipped. */
  readonly summary: { readonly passed: number; readonly failed: number; readonly skipped: number };
  /** Every check, in the order they ran. */
  readonly checks: readonly ConformanceCheckResult[];
  /** Wall time of the whole run. */
  readonly durationMs: number;
}
