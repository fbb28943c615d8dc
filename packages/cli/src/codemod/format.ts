import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { diffLines } from 'diff';
import type * as PrettierApi from 'prettier';
import type { Options } from 'prettier';
import { indentUnitOf } from './indentation.js';

type Prettier = typeof PrettierApi;

/** How a project's rewritten code is formatted: its own Prettier and configuration, or a default. */
export interface Formatter {
  /** Formats the parts of `after` that differ from `before`, and nothing else. */
  readonly format: (path: string, before: string, after: string) => Promise<string>;
}

// The project's own Prettier when it has one installed (its version formats as its CI does), else ours.
async function loadPrettier(root: string): Promise<Prettier> {
  // Its CommonJS entry, loaded from ESM, puts the API under `default`.
  const api = (module: unknown): Prettier => {
    const loaded = module as { format?: unknown; default?: unknown };
    return (typeof loaded.format === 'function' ? module : loaded.default) as Prettier;
  };
  try {
    const entry = createRequire(join(root, 'package.json')).resolve('prettier');
    return api(await import(pathToFileURL(entry).href));
  } catch {
    return api(await import('prettier'));
  }
}

/**
 * The default for a project without a Prettier configuration: what the file itself does (quotes,
 * semicolons, indentation), 100 columns, trailing commas where the file's language allows them.
 */
export function inferredOptions(text: string): Options {
  const singles = (text.match(/'[^'\n]*'/g) ?? []).length;
  const doubles = (text.match(/"[^"\n]*"/g) ?? []).length;
  const statementEnds = text
    .split('\n')
    .filter((line) => /[\w)\]}'"`]\s*;?\s*$/.test(line) && !/^\s*(?:\/\/|\*|\/\*)/.test(line));
  const withSemicolon = statementEnds.filter((line) => /;\s*$/.test(line)).length;
  const indent = indentUnitOf(text);
  return {
    singleQuote: singles >= doubles,
    semi: withSemicolon > 0,
    useTabs: indent === '\t',
    tabWidth: indent === '\t' ? 2 : Math.min(indent.length, 4),
    printWidth: 100,
    trailingComma: 'all',
  };
}

// The ranges of `after` (start, end offsets) that are not in `before`, line by line.
function changedRanges(before: string, after: string): [number, number][] {
  const ranges: [number, number][] = [];
  let offset = 0;
  for (const part of diffLines(before, after)) {
    if (part.removed === true) continue;
    if (part.added === true) {
      const previous = ranges.at(-1);
      if (previous !== undefined && previous[1] === offset) previous[1] = offset + part.value.length;
      else ranges.push([offset, offset + part.value.length]);
    }
    offset += part.value.length;
  }
  return ranges;
}

/**
 * The formatter of the project at `root`: Prettier (the project's own when installed) with the
 * project's configuration for each file when it has one (`.prettierrc*`, `prettier` in
 * package.json...), else {@link inferredOptions}. Only the lines a migration changed are formatted
 * (Prettier's range formatting, which widens a range to the statements it touches): the rest of
 * a file stays as its authors left it.
 *
 * @example
 * const after = await (await createFormatter(root)).format('/repo/src/routes.ts', before, rewritten);
 */
export async function createFormatter(root: string): Promise<Formatter> {
  const prettier = await loadPrettier(root);
  return {
    async format(path, before, after) {
      const config = await prettier.resolveConfig(path, { editorconfig: false }).catch(() => null);
      const options: Options = { ...(config ?? inferredOptions(before)), filepath: path };
      let text = after;
      // From the last range to the first: formatting one never moves those before it.
      for (const [start, end] of changedRanges(before, after).reverse()) {
        try {
          text = await prettier.format(text, { ...options, rangeStart: start, rangeEnd: Math.max(start, end - 1) });
        } catch {
          // A range Prettier cannot parse stays as the migration wrote it.
        }
      }
      return text;
    },
  };
}
