import type { Node, SourceFile } from 'ts-morph';
import type { Edit } from './text.js';

/** A name a file must import: `name` (or `imported as local`) from a module specifier. */
export interface ImportNeed {
  readonly specifier: string;
  readonly name: string;
  readonly typeOnly: boolean;
}

/** What a plan changes, file by file. */
export interface PlanOutput {
  /** Text edits of each file. */
  readonly edits: Map<SourceFile, Edit[]>;
  /** Names each file must import from project modules or packages. */
  readonly imports: Map<SourceFile, ImportNeed[]>;
  /** `@org/platform` names each file now needs. */
  readonly platform: Map<SourceFile, Set<string>>;
  /** Declarations to export from each file (a helper a moved handler uses). */
  readonly exports: Map<SourceFile, Node[]>;
}

/** A plan output that changes nothing yet. */
export function emptyOutput(): PlanOutput {
  return { edits: new Map(), imports: new Map(), platform: new Map(), exports: new Map() };
}

/** Appends values to a map's list at `key`. */
export function push<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  map.set(key, [...(map.get(key) ?? []), ...values]);
}

/** Adds `@org/platform` names a file needs. */
export function needPlatform(output: PlanOutput, file: SourceFile, ...names: string[]): void {
  output.platform.set(file, new Set([...(output.platform.get(file) ?? []), ...names]));
}

/** Adds everything `from` changes to `into`. */
export function mergeOutput(into: PlanOutput, from: PlanOutput): void {
  for (const [file, list] of from.edits) push(into.edits, file, ...list);
  for (const [file, list] of from.imports) push(into.imports, file, ...list);
  for (const [file, names] of from.platform) needPlatform(into, file, ...names);
  for (const [file, list] of from.exports) push(into.exports, file, ...list);
}
