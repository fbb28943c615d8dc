import { processWide } from '../context/process-wide.js';

/** One deprecated API: the release that deprecated it and what to use instead. @internal */
export interface Deprecation {
  /**
   * The release that deprecated it: the version the release carrying the deprecation is published
   * as (UPGRADING.md's table and the `org-platform migrate` manifest say the same, and a test of the
   * CLI holds the three to the version the pending changesets give the release).
   */
  readonly since: string;
  readonly message: string;
}

/**
 * The deprecated APIs of this major, by stable code. A code is never reused: UPGRADING.md lists
 * each with its replacement, and the next major removes the API. Empty in 1.0: 1.0.0 removed what
 * 0.2.0 deprecated (`ORG_PLATFORM_DEP001`, `ORG_PLATFORM_DEP002`; UPGRADING.md keeps their history).
 * @internal
 */
export const DEPRECATIONS: Readonly<Record<string, Deprecation>> = {};

/** A deprecation code of {@link DEPRECATIONS}. @internal */
export type DeprecationCode = keyof typeof DEPRECATIONS;

// Process-wide, so that two copies of the platform in one dependency tree warn once between
// them and report one list; the value is a set of codes in the order they were first used.
const used = processWide('deprecations-used', () => new Set<string>());
// Calls per code, for `/metrics`; a name of its own, so the set above keeps its shape between copies.
const calls = processWide('deprecation-calls', () => new Map<string, number>());

/**
 * Records a call of a deprecated API (counted for `/metrics`) and, the first time in this process,
 * emits its Node.js `DeprecationWarning` with the stable code (`--no-deprecation` silences it,
 * `--throw-deprecation` turns it into an error). `registry` is where the code is looked up: the
 * platform's own by default; the machinery's tests pass one of their own, since a major starts
 * with none deprecated.
 *
 * @example
 * deprecated('ORG_PLATFORM_DEP003');
 * @internal
 */
export function deprecated(
  code: DeprecationCode,
  registry: Readonly<Record<string, Deprecation>> = DEPRECATIONS,
): void {
  const deprecation = registry[code];
  if (deprecation === undefined) throw new TypeError(`deprecated(): ${code} is not a deprecation code`);
  const counts = calls();
  counts.set(code, (counts.get(code) ?? 0) + 1);
  const codes = used();
  if (codes.has(code)) return;
  codes.add(code);
  const { since, message } = deprecation;
  process.emitWarning(
    `${message} (deprecated since @org/platform ${since}; \`npx @org/platform-cli migrate\` moves the code.)`,
    { type: 'DeprecationWarning', code },
  );
}

/**
 * The deprecation codes this process has used, in order of first use (`[]` when none).
 *
 * @example
 * usedDeprecations(); // ['ORG_PLATFORM_DEP001']
 * @internal
 */
export function usedDeprecations(): readonly string[] {
  return [...used()];
}

/**
 * How many times each deprecated API was called in this process, by code (only codes called).
 *
 * @example
 * deprecatedCalls(); // Map { 'ORG_PLATFORM_DEP001' => 12 }
 * @internal
 */
export function deprecatedCalls(): ReadonlyMap<string, number> {
  return calls();
}
