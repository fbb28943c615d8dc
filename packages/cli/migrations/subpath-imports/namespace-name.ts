import { SyntaxKind, type SourceFile } from 'ts-morph';

/**
 * A free local name for a namespace import of `specifier` beside `base`: `platform` and
 * `@org/platform/http` give `platformHttp` (then `platformHttp2`, … when taken).
 *
 * @example
 * namespaceName(file, 'platform', '@org/platform/http', []); // 'platformHttp'
 */
export function namespaceName(file: SourceFile, base: string, specifier: string, taken: readonly string[]): string {
  const tail = specifier
    .split('/')
    .at(-1)!
    .replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const wanted = `${base}${tail[0]!.toUpperCase()}${tail.slice(1)}`;
  const used = new Set([...taken, ...file.getDescendantsOfKind(SyntaxKind.Identifier).map((id) => id.getText())]);
  let name = wanted;
  for (let n = 2; used.has(name); n += 1) name = `${wanted}${n}`;
  return name;
}
