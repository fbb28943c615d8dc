import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { push } from './plan-output.js';
import type { RoutePlan } from './plan-route.js';
import { elementRemoval, propertyRemoval, specifierRemoval, statementLines } from './removals.js';
import { indentOf, type Edit } from './text.js';

/** How a document at `docCall` in `docFile` names the route group (importing it there when needed); undefined when it cannot. */
export type GroupReference = (docFile: SourceFile, docCall: Node) => string | undefined;

/**
 * The documents' side of converting routes: their descriptions leave the arrays that held them
 * (an array emptied goes, with its imports and spreads), and each `createOpenApiDocument()` that
 * read them gets the group (`routeGroups`), through `groupReference`. A reason when a document
 * cannot reach the group.
 */
export function documentChanges(
  documents: readonly RoutePlan[],
  groupReference: GroupReference,
): Map<SourceFile, Edit[]> | string {
  const edits = new Map<SourceFile, Edit[]>();
  const byArray = new Map<Node, RoutePlan[]>();
  for (const plan of documents) push(byArray, plan.description!.array, plan);
  const consumers = new Map<Node, Node[]>(); // createOpenApiDocument options → the `routes` properties that empty
  for (const [array, plans] of byArray) {
    const elements = (array as Node & { getElements(): Node[] }).getElements();
    const leaving: Node[] = plans.map((plan) => plan.description!.element);
    const remaining = elements.filter((element) => !leaving.includes(element));
    for (const element of leaving) {
      const index = elements.indexOf(element);
      const text = array.getSourceFile().getFullText();
      let end = element.getEnd();
      while (/[\s,]/.test(text[end] ?? '') && text[end] !== ']') end += 1;
      let start = element.getStart();
      if (index === elements.length - 1 && index > 0 && !leaving.includes(elements[index - 1]!))
        start = elements[index - 1]!.getEnd();
      else if (index === elements.length - 1) {
        while (start > 0 && /\s/.test(text[start - 1]!)) start -= 1;
      }
      push(edits, array.getSourceFile(), {
        start,
        end:
          index === elements.length - 1
            ? element.getEnd() + (text.slice(element.getEnd()).match(/^,/)?.[0].length ?? 0)
            : end,
        text: '',
      });
    }
    // Which documents read this array: written in one, or a const spread into them.
    const owner = array.getParent();
    let readers: Node[] = [];
    if (Node.isPropertyAssignment(owner)) readers = [owner.getParentOrThrow()];
    else if (Node.isVariableDeclaration(owner)) {
      for (const ref of (owner.getNameNode() as Node & { findReferencesAsNodes(): Node[] }).findReferencesAsNodes()) {
        const parent = ref.getParent();
        const spread = Node.isSpreadElement(parent) ? parent : undefined;
        const list = spread?.getParent();
        const property = spread === undefined ? parent : list?.getParent();
        const options = property?.getParent();
        if (
          Node.isPropertyAssignment(property) &&
          property.getName() === 'routes' &&
          Node.isObjectLiteralExpression(options)
        ) {
          readers.push(options);
          if (remaining.length === 0 && spread !== undefined) push(edits, ref.getSourceFile(), elementRemoval(spread));
          if (remaining.length === 0 && spread === undefined) push(consumers, options, property);
        }
      }
      if (remaining.length === 0) {
        const statement = owner.getVariableStatementOrThrow();
        push(edits, statement.getSourceFile(), statementLines(statement, true, true));
        for (const ref of (owner.getNameNode() as Node & { findReferencesAsNodes(): Node[] }).findReferencesAsNodes()) {
          if (Node.isImportSpecifier(ref.getParent()))
            push(edits, ref.getSourceFile(), specifierRemoval(ref.getParentOrThrow()));
        }
      }
    }
    for (const options of readers) {
      if (!consumers.has(options)) consumers.set(options, []);
      if (remaining.length === 0 && Node.isPropertyAssignment(owner)) consumers.get(options)!.push(owner);
    }
  }
  for (const [options, emptied] of consumers) {
    const call = options.getParentOrThrow();
    const reference = groupReference(options.getSourceFile(), call);
    if (reference === undefined)
      return `createOpenApiDocument (${options.getSourceFile().getBaseName()}:${options.getStartLineNumber()}) cannot reach the route group, which is built inside the router's function: call that function where the document is made`;
    const object = options as Node & { getProperty(name: string): Node | undefined };
    const routes = object.getProperty('routes');
    const groups = object.getProperty('routeGroups');
    const routesList = Node.isPropertyAssignment(routes) ? routes.getInitializer() : undefined;
    const allGone =
      routes !== undefined &&
      (emptied.includes(routes) ||
        (Node.isArrayLiteralExpression(routesList) &&
          routesList.getElements().every((element) => willEmpty(element, byArray, documents))));
    if (Node.isPropertyAssignment(groups) && Node.isArrayLiteralExpression(groups.getInitializer())) {
      const list = groups.getInitializer()!.asKindOrThrow(SyntaxKind.ArrayLiteralExpression);
      const at = list.getElements().at(-1)?.getEnd() ?? list.getStart() + 1;
      push(edits, options.getSourceFile(), {
        start: at,
        end: at,
        text: list.getElements().length === 0 ? reference : `, ${reference}`,
      });
      if (allGone && routes !== undefined) push(edits, options.getSourceFile(), propertyRemoval(routes));
    } else if (allGone && routes !== undefined) {
      push(edits, options.getSourceFile(), {
        start: routes.getStart(),
        end: routes.getEnd(),
        text: `routeGroups: [${reference}]`,
      });
    } else if (routes !== undefined) {
      push(edits, options.getSourceFile(), {
        start: routes.getStart(),
        end: routes.getStart(),
        text: `routeGroups: [${reference}],\n${indentOf(routes)}`,
      });
    }
  }
  return edits;
}

// Whether an element of a document's routes list goes: a description leaving, or a spread of an array all of whose descriptions leave.
function willEmpty(element: Node, byArray: Map<Node, RoutePlan[]>, documents: readonly RoutePlan[]): boolean {
  if (Node.isObjectLiteralExpression(element)) return documents.some((plan) => plan.description!.element === element);
  if (!Node.isSpreadElement(element)) return false;
  const declaration = element.getExpression().getSymbol()?.getDeclarations()[0];
  const alias =
    element.getExpression().getSymbol()?.isAlias() === true
      ? element.getExpression().getSymbol()!.getAliasedSymbol()?.getDeclarations()[0]
      : undefined;
  const target = alias ?? declaration;
  if (!Node.isVariableDeclaration(target)) return false;
  const array = target.getInitializer();
  if (!Node.isArrayLiteralExpression(array)) return false;
  const leaving = byArray.get(array)?.length ?? 0;
  return leaving === array.getElements().length;
}
