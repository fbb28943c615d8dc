import { Node, type SourceFile } from 'ts-morph';
import { platformImports } from '../../src/codemod/platform-symbols.js';

/** The deprecated names the migration may leave unused. */
const DEPRECATED = ['validate', 'getPrincipal', 'tryGetPrincipal', 'RouteDescription', 'RouteResponse'];

function used(file: SourceFile, local: string, except: Node): boolean {
  return file
    .getDescendants()
    .some(
      (node) =>
        Node.isIdentifier(node) &&
        node.getText() === local &&
        node !== except &&
        !node.getFirstAncestor((a) => Node.isImportDeclaration(a)),
    );
}

/**
 * Adds names to the file's `@org/platform` import (creating one after the last import when there
 * is none) and drops the deprecated names nothing uses any more.
 *
 * @example
 * ensureImports(file, { add: ['createRouteGroup', 'defineRoute'] });
 */
export function ensureImports(file: SourceFile, { add }: { add: readonly string[] }): void {
  const declaration = platformImports(file).find((d) => d.getNamespaceImport() === undefined && !d.isTypeOnly());
  const target =
    declaration ??
    file.insertImportDeclaration(file.getImportDeclarations().length, {
      moduleSpecifier: '@org/platform',
      namedImports: [],
    });
  const present = new Set(target.getNamedImports().map((s) => s.getName()));
  const missing = add.filter((name) => !present.has(name));
  if (missing.length > 0) {
    // Keep the list sorted when it was sorted, else append.
    const names = target.getNamedImports().map((s) => s.getName());
    const sorted = names.every((n, i) => i === 0 || names[i - 1]!.localeCompare(n) <= 0);
    for (const name of missing) {
      const specifiers = target.getNamedImports();
      const at = sorted ? specifiers.findIndex((s) => s.getName().localeCompare(name) > 0) : -1;
      target.insertNamedImport(at === -1 ? specifiers.length : at, name);
    }
  }
  for (const d of platformImports(file)) {
    for (const specifier of d.getNamedImports()) {
      if (!DEPRECATED.includes(specifier.getName())) continue;
      const local = specifier.getAliasNode() ?? specifier.getNameNode();
      if (!used(file, local.getText(), local)) specifier.remove();
    }
    if (d.getNamedImports().length === 0 && d.getDefaultImport() === undefined && d.getNamespaceImport() === undefined)
      d.remove();
  }
}
