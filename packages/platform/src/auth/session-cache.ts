import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Principal } from './principal.js';
import type { AuthFailure } from './verification-outcome.js';

/** Options of {@link createSessionCache}. */
export interface SessionCacheOptions {
  /** Most tokens remembered; the least recently used goes first. @default 10000 */
  readonly maxEntries?: number;
  /**
   * How long a refusal is remembered, in ms: a client that keeps sending a bad token is refused
   * without verifying it again. Only refusals that no clock can change are kept (bad signature,
   * another `azp` or `iss`, expired, malformed); a token not valid yet, or keys that could not be
   * loaded (503), are never remembered. @default 1000
   */
  readonly failureTtlMs?: number;
  /**
   * Longest a verified token is remembered, in ms, however late its `exp`: with JWKS keys, a key
   * Clerk withdraws stops being accepted at most this much later than without the cache. Clerk
   * session tokens live 60 s. @default 60000
   */
  readonly maxAgeMs?: number;
}

/** Hits, misses and size of a session cache, for metrics. */
export interface SessionCacheStats {
  /** Verifications answered from the cache. */
  readonly hits: number;
  /** Verifications the cache could not answer (never seen, evicted, or no longer valid). */
  readonly misses: number;
  /** Tokens remembered now. */
  readonly entries: number;
  /** The bound. */
  readonly maxEntries: number;
}

/** What a verification concluded, as the cache keeps it. @internal */
export type CachedOutcome =
  { readonly ok: true; readonly principal: Principal } | ({ readonly ok: false } & AuthFailure);

/** Remembered verifications, keyed by a hash of the token. @internal */
export interface SessionCache {
  /** The remembered outcome of `token`, or `undefined` (never seen, or no longer valid). */
  get(token: string): CachedOutcome | undefined;
  /** Remembers a verified token until its `exp` (under the clock skew), at most `maxAgeMs`. */
  remember(token: string, principal: Principal, clockSkewMs: number): void;
  /** Remembers a refusal for `failureTtlMs`, when it is one that no clock can change. */
  refuse(token: string, failure: AuthFailure): void;
  stats(): SessionCacheStats;
}

/**
 * The defaults of {@link SessionCacheOptions}.
 *
 * @example
 * SESSION_CACHE_DEFAULTS.maxEntries; // 10000
 */
export const SESSION_CACHE_DEFAULTS = Object.freeze({ maxEntries: 10_000, failureTtlMs: 1000, maxAgeMs: 60_000 });

// Refusals that stay refusals whatever the time: anything else (not active yet, iat in the future,
// keys unavailable, a timeout) may turn out otherwise on the next try.
const LASTING_REASONS = new Set([
  'token-too-long',
  'token-malformed',
  'alg-not-rs256',
  'token-expired',
  'token-invalid',
  'token-invalid-algorithm',
  'token-invalid-authorized-parties',
  'token-invalid-issuer',
  'token-invalid-signature',
  'token-verification-failed',
  'claims-missing-sub-or-sid',
  'session-pending',
]);

interface Entry {
  readonly outcome: CachedOutcome;
  /** `Date.now()` from which the entry no longer holds: the SDK reads the same clock. */
  readonly until: number;
}

// When `verifyToken` of @clerk/backend starts calling a token expired: its exp date, computed as
// the SDK computes it (`setUTCSeconds`), is at or before now minus the skew.
function expiryMs(exp: number): number {
  const date = new Date(0);
  date.setUTCSeconds(exp);
  return date.getTime();
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * A bounded LRU of verified session tokens (lru-cache), keyed by the SHA-256 of the token (the
 * token itself is never kept). A verified entry holds until the moment the SDK would call the
 * token expired (`exp` plus the clock skew, to the millisecond, on the same clock), and at most
 * `maxAgeMs`; a token that passed its `nbf` and `iat` checks passes them later too. The principal
 * handed out is deeply frozen: every request of the session shares it.
 *
 * @internal
 */
export function createSessionCache(options: SessionCacheOptions = {}): SessionCache {
  const maxEntries = options.maxEntries ?? SESSION_CACHE_DEFAULTS.maxEntries;
  const failureTtlMs = options.failureTtlMs ?? SESSION_CACHE_DEFAULTS.failureTtlMs;
  const maxAgeMs = options.maxAgeMs ?? SESSION_CACHE_DEFAULTS.maxAgeMs;
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw new TypeError(`session cache maxEntries must be a positive integer, not ${maxEntries}`);
  const entries = new LRUCache<string, Entry>({ max: maxEntries });
  let hits = 0;
  let misses = 0;
  const keyOf = (token: string): string => hash('sha256', token, 'base64');

  return {
    get(token) {
      const key = keyOf(token);
      const entry = entries.get(key);
      if (entry === undefined) {
        misses += 1;
        return undefined;
      }
      if (Date.now() >= entry.until) {
        entries.delete(key);
        misses += 1;
        return undefined;
      }
      hits += 1;
      return entry.outcome;
    },
    remember(token, principal, clockSkewMs) {
      const exp = principal.claims.exp;
      if (typeof exp !== 'number') return;
      const now = Date.now();
      const until = Math.min(expiryMs(exp) + clockSkewMs, now + maxAgeMs);
      // NaN (an exp beyond what a Date holds) is never remembered.
      if (!(until > now)) return;
      entries.set(keyOf(token), { outcome: { ok: true, principal: deepFreeze(principal) }, until });
    },
    refuse(token, failure) {
      if (failureTtlMs <= 0 || !LASTING_REASONS.has(failure.reason)) return;
      entries.set(keyOf(token), {
        outcome: { ok: false, code: failure.code, reason: failure.reason },
        until: Date.now() + failureTtlMs,
      });
    },
    stats() {
      return { hits, misses, entries: entries.size, maxEntries };
    },
  };
}
