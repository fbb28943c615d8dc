import { relative, dirname } from 'node:path';
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';

/** A name a piece of code uses from outside itself, and where that name comes from. */
export interface FreeName {
  readonly name: string;
  /** The import that brings it into the code's file, when it is imported there. */
  readonly importFrom:
    | {
        readonly specifier: string;
        readonly file: SourceFile | undefined;
        readonly imported: string;
        readonly typeOnly: boolean;
      }
    | undefined;
  /** Its declaration, when it is declared in the code's file. */
  readonly declaration: Node | undefined;
}

function declarationOf(identifier: Node): Node | undefined {
  const parent = identifier.getParent();
  const symbol = Node.isShorthandPropertyAssignment(parent) ? parent.getValueSymbol() : identifier.getSymbol();
  return symbol?.getDeclarations()[0];
}

/**
 * The names `code` uses that are declared outside it: in its file (module scope or an enclosing
 * function) or imported there. Property names, keys and globals of the standard library are not names.
 *
 * @example
 * freeNames(handler).map((n) => n.name); // ['store', 'orderErrors', 'Order']
 */
export function freeNames(code: Node): FreeName[] {
  const file = code.getSourceFile();
  const seen = new Map<string, FreeName>();
  for (const identifier of code.getDescendantsOfKind(SyntaxKind.Identifier)) {
    const parent = identifier.getParent();
    if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === identifier) continue;
    if (
      (Node.isPropertyAssignment(parent) || Node.isPropertySignature(parent) || Node.isMethodDeclaration(parent)) &&
      parent.getNameNode() === identifier
    )
      continue;
    if (Node.isQualifiedName(parent) && parent.getRight() === identifier) continue;
    if (Node.isBindingElement(parent) && parent.getPropertyNameNode() === identifier) continue;
    const declaration = declarationOf(identifier);
    if (declaration === undefined) continue;
    if (declaration.getSourceFile() !== file) {
      // Declared in another file without an import here: a global (lib, @types/node).
      continue;
    }
    if (declaration.getStart() >= code.getStart() && declaration.getEnd() <= code.getEnd()) continue;
    const name = identifier.getText();
    if (seen.has(name)) continue;
    if (
      Node.isImportSpecifier(declaration) ||
      Node.isImportClause(declaration) ||
      Node.isNamespaceImport(declaration)
    ) {
      const importDeclaration = declaration.getFirstAncestorByKind(SyntaxKind.ImportDeclaration)!;
      const imported = Node.isImportSpecifier(declaration)
        ? declaration.getName()
        : Node.isImportClause(declaration)
          ? 'default'
          : '*';
      const typeOnly =
        importDeclaration.isTypeOnly() || (Node.isImportSpecifier(declaration) && declaration.isTypeOnly());
      seen.set(name, {
        name,
        importFrom: {
          specifier: importDeclaration.getModuleSpecifierValue(),
          file: importDeclaration.getModuleSpecifierSourceFile(),
          imported,
          typeOnly,
        },
        declaration: undefined,
      });
    } else {
      seen.set(name, { name, importFrom: undefined, declaration });
    }
  }
  return [...seen.values()];
}

/** Whether a declaration of `file` is at its module scope. */
export function isModuleLevel(declaration: Node): boolean {
  const statement = declaration.getFirstAncestor((a) => Node.isSourceFile(a.getParent() ?? a)) ?? declaration;
  return (
    Node.isSourceFile(statement.getParent() ?? statement) &&
    !declaration
      .getAncestors()
      .some(
        (a) =>
          Node.isFunctionLikeDeclaration(a) ||
          Node.isArrowFunction(a) ||
          Node.isFunctionExpression(a) ||
          Node.isBlock(a),
      )
  );
}

/** Whether a declaration is visible at a position of its own file (module level, or a scope around it). */
export function visibleAt(declaration: Node, position: number): boolean {
  if (isModuleLevel(declaration)) return true;
  const scope = declaration.getFirstAncestor(
    (a) =>
      Node.isBlock(a) ||
      Node.isFunctionLikeDeclaration(a) ||
      Node.isArrowFunction(a) ||
      Node.isFunctionExpression(a) ||
      Node.isSourceFile(a),
  );
  if (scope === undefined) return true;
  // A parameter belongs to its function; a declaration in a block, to that block.
  return position >= scope.getStart() && position <= scope.getEnd();
}

/** The module specifier that reaches `target` from `from` (`./store.js` style for project files). */
export function specifierFrom(from: SourceFile, target: SourceFile): string {
  let path = relative(dirname(from.getFilePath()), target.getFilePath())
    .replace(/\\/g, '/')
    .replace(/\.(m|c)?ts$/, '.$1js')
    .replace(/\.tsx$/, '.js');
  if (!path.startsWith('.')) path = `./${path}`;
  return path;
}
