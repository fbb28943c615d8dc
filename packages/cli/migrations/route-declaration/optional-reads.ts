import { DiagnosticCategory, Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { PARTS, type Part } from './handler.js';
import type { Edit } from './text.js';

/** A read of a validated value that the compiler says may be missing, in one route's declaration. */
export interface OptionalRead {
  /** The route's declaration (its const's name). */
  readonly route: string;
  /** The read as written: `query.q`. */
  readonly text: string;
  /** Where `!` goes. */
  readonly edit: Edit;
}

// The handler of a `const name = defineRoute({ …, handler })` declaration.
function handlerOf(declaration: Node): Node | undefined {
  const call = declaration.asKind(SyntaxKind.VariableDeclaration)?.getInitializer();
  const options = Node.isCallExpression(call) ? call.getArguments()[0] : undefined;
  const property = Node.isObjectLiteralExpression(options) ? options.getProperty('handler') : undefined;
  return Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
}

// The handler's locals bound to the validated parts the migration typed: `{ query }`, `{ query: q }`.
function typedPartLocals(handler: Node, typed: ReadonlySet<Part>): Map<string, Node> {
  const locals = new Map<string, Node>();
  const parameter =
    Node.isArrowFunction(handler) || Node.isFunctionExpression(handler) ? handler.getParameters()[0] : undefined;
  const pattern = parameter?.getNameNode();
  if (!Node.isObjectBindingPattern(pattern)) return locals;
  for (const element of pattern.getElements()) {
    const part = element.getPropertyNameNode()?.getText() ?? element.getName();
    if ((PARTS as readonly string[]).includes(part) && typed.has(part as Part)) locals.set(element.getName(), element);
  }
  return locals;
}

/**
 * The compile errors of rewritten declarations that are reads of a validated value that may be
 * missing, `query.q` inside a callback after a `query.q !== undefined` check: the old handler read
 * the same value through `validator.values(req)`, typed `any`, so the compiler let it through.
 * A non-null assertion at exactly that read (`query.q!`) keeps the meaning, since `!` is erased,
 * and lets the declaration compile with its values typed. Only parts whose schema the migration
 * typed count (those the old code read as `any`); an error anywhere else is not one of these.
 *
 * @example
 * optionalReads(file, new Map([['searchQuery', new Set(['query'])]])); // [{ route: 'searchQuery', text: 'query.q', edit }]
 */
export function optionalReads(file: SourceFile, typedParts: ReadonlyMap<string, ReadonlySet<Part>>): OptionalRead[] {
  const handlers = file
    .getDescendantsOfKind(SyntaxKind.VariableDeclaration)
    .filter((declaration) => typedParts.has(declaration.getName()))
    .map((declaration) => ({ route: declaration.getName(), handler: handlerOf(declaration) }))
    .filter((entry): entry is { route: string; handler: Node } => entry.handler !== undefined);
  const reads: OptionalRead[] = [];
  for (const diagnostic of file.getPreEmitDiagnostics()) {
    const start = diagnostic.getStart();
    const length = diagnostic.getLength();
    if (
      diagnostic.getCategory() !== DiagnosticCategory.Error ||
      diagnostic.getSourceFile() !== file ||
      start === undefined ||
      length === undefined
    )
      continue;
    const owner = handlers.find(({ handler }) => start >= handler.getStart() && start < handler.getEnd());
    if (owner === undefined) continue;
    // The diagnostic's span is the read itself: `query.q`.
    const read = file
      .getDescendantAtPos(start)
      ?.getParentWhile((parent) => parent.getStart() === start && parent.getEnd() <= start + length);
    if (
      !Node.isPropertyAccessExpression(read) ||
      read.getEnd() !== start + length ||
      Node.isNonNullExpression(read.getParent())
    )
      continue;
    const root = read.getExpression();
    const local = Node.isIdentifier(root)
      ? typedPartLocals(owner.handler, typedParts.get(owner.route)!).get(root.getText())
      : undefined;
    if (local === undefined || root.getSymbol()?.getDeclarations()[0] !== local) continue;
    if (
      !read
        .getType()
        .getUnionTypes()
        .some((member) => member.isUndefined())
    )
      continue;
    if (reads.some((known) => known.edit.start === read.getEnd())) continue;
    reads.push({
      route: owner.route,
      text: read.getText(),
      edit: { start: read.getEnd(), end: read.getEnd(), text: '!' },
    });
  }
  return reads;
}
