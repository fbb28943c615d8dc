import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Node, SyntaxKind, type Identifier, type ImportDeclaration, type SourceFile } from 'ts-morph';

const PLATFORM = '@org/platform';
const packageOf = new Map<string, string | null>();

// The name of the package a declaration file belongs to (the nearest package.json), cached per folder.
function packageName(dir: string): string | null {
  const known = packageOf.get(dir);
  if (known !== undefined) return known;
  const manifest = join(dir, 'package.json');
  let name: string | null = null;
  if (existsSync(manifest)) name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name ?? null;
  else if (dirname(dir) !== dir) name = packageName(dirname(dir));
  packageOf.set(dir, name);
  return name;
}

/** The `import { … } from '@org/platform'` declarations of a file. */
export function platformImports(file: SourceFile): ImportDeclaration[] {
  return file.getImportDeclarations().filter((declaration) => declaration.getModuleSpecifierValue() === PLATFORM);
}

/**
 * Whether an identifier is the platform's export `name`: through the type checker when the
 * platform's types resolve (aliases, renamed imports and re-exports followed to the declaration
 * in `@org/platform`), else by the import it comes from.
 *
 * @example
 * isPlatformExport(call.getExpression(), 'validate');
 */
export function isPlatformExport(identifier: Node, name: string): boolean {
  if (!Node.isIdentifier(identifier)) return false;
  const symbol = identifier.getSymbol();
  const target = symbol?.isAlias() === true ? symbol.getAliasedSymbol() : symbol;
  const file = target?.getDeclarations()[0]?.getSourceFile();
  // Resolved into a package's typings: trust the checker, whatever the import looked like.
  if (target !== undefined && file?.isDeclarationFile() === true)
    return target.getName() === name && packageName(dirname(file.getFilePath())) === PLATFORM;
  return importedName(identifier) === name;
}

// The name a local identifier was imported under from '@org/platform' (`validate as check` → validate).
function importedName(identifier: Identifier): string | undefined {
  const local = identifier.getText();
  for (const declaration of platformImports(identifier.getSourceFile())) {
    for (const specifier of declaration.getNamedImports()) {
      if ((specifier.getAliasNode()?.getText() ?? specifier.getName()) === local) return specifier.getName();
    }
  }
  return undefined;
}

/**
 * The other identifiers of the file that name the same symbol as `identifier` (a local, not
 * exported: its uses are all in this file). Faster than the language service's find-references,
 * which walks every file of the program, type packages included.
 *
 * @example
 * referencesInFile(declaration.getNameNode());
 */
export function referencesInFile(identifier: Identifier): Identifier[] {
  const symbol = identifier.getSymbol();
  if (symbol === undefined) return [];
  const name = identifier.getText();
  return identifier
    .getSourceFile()
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .filter((candidate) => {
      if (candidate === identifier || candidate.getText() !== name) return false;
      const parent = candidate.getParent();
      const own = Node.isShorthandPropertyAssignment(parent) ? parent.getValueSymbol() : candidate.getSymbol();
      return own === symbol;
    });
}
