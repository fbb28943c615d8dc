import type { InternalName, MovedName } from '../../src/release/moves.js';
import { INTERNAL, MOVED } from '../../src/release/moves-1.0.js';

/** What 1.0 did with one name of an entry point. */
export type Fate = { readonly moved: MovedName } | { readonly internal: InternalName };

const fates = new Map<string, Fate>([
  ...MOVED.map((moved) => [`${moved.from}\u0000${moved.name}`, { moved }] as const),
  ...INTERNAL.map((internal) => [`${internal.from}\u0000${internal.name}`, { internal }] as const),
]);

/** The entry points whose names 1.0 moved or made internal: the only module specifiers the migration reads. */
export const SOURCES: ReadonlySet<string> = new Set([...MOVED.map((m) => m.from), ...INTERNAL.map((i) => i.from)]);

/**
 * What became of `name` of the entry point `from` in 1.0; undefined when it stayed.
 *
 * @example
 * fateOf('@org/platform', 'accessLog'); // { moved: { name: 'accessLog', from: '@org/platform', to: '@org/platform/http', kind: 'value' } }
 */
export function fateOf(from: string, name: string): Fate | undefined {
  return fates.get(`${from}\u0000${name}`);
}
