import { Node, SyntaxKind, type SourceFile, type VariableDeclaration } from 'ts-morph';
import type { LeftPlace, Migration } from '../../src/migrate/migration.js';
import { convertRoute } from './convert-route.js';
import { isPlatformExport } from './platform-symbols.js';
import { isMarked, markTodo, statementOf, TODO } from './todo.js';

const DEP001 = 'ORG_PLATFORM_DEP001';
const DEP002 = 'ORG_PLATFORM_DEP002';

function validateDeclarations(file: SourceFile): VariableDeclaration[] {
  return file.getDescendantsOfKind(SyntaxKind.VariableDeclaration).filter((declaration) => {
    const init = declaration.getInitializer();
    return Node.isCallExpression(init) && isPlatformExport(init.getExpression(), 'validate');
  });
}

// Every deprecated use still in the file, with why it is there.
function deprecatedUses(file: SourceFile): { node: Node; reason: string }[] {
  const uses: { node: Node; reason: string }[] = [];
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (isPlatformExport(callee, 'validate')) uses.push({ node: call, reason: `${DEP001}: validate() guards a route the migration could not declare` });
    else if (isPlatformExport(callee, 'createOpenApiDocument') && Node.isObjectLiteralExpression(call.getArguments()[0]) && call.getArguments()[0]!.asKindOrThrow(SyntaxKind.ObjectLiteralExpression).getProperty('routes') !== undefined) {
      uses.push({ node: call, reason: `${DEP002}: createOpenApiDocument({ routes }) still describes routes beside their declaration; pass routeGroups` });
    }
  }
  for (const reference of file.getDescendantsOfKind(SyntaxKind.TypeReference)) {
    const name = reference.getTypeName();
    if (isPlatformExport(name, 'RouteDescription') || isPlatformExport(name, 'RouteResponse')) uses.push({ node: reference, reason: `${DEP002}: ${name.getText()} is still used; declare the routes with defineRoute()` });
  }
  return uses;
}

// The reason a marked statement was left, as its marker says (so a second run lists it the same way).
function markedReason(statement: Node): string | undefined {
  for (const range of statement.getLeadingCommentRanges()) {
    const text = range.getText();
    const at = text.indexOf(`${TODO}: `);
    if (at !== -1) return text.slice(at + TODO.length + 2).trim();
  }
  return undefined;
}

/**
 * `route-declaration` (0.2.0): `validate()` + `RouteDescription` → one declaration per route.
 * Each route guarded by a `validate()` middleware becomes a `defineRoute()` declaration mounted by
 * a `createRouteGroup()` at the same path on the same router, its `RouteDescription` folded into
 * it. A route it cannot rewrite without changing behaviour, or whose rewrite would not compile,
 * keeps its code (it still compiles and runs: the API is deprecated, not removed) and gets a
 * `TODO(org-platform)` comment; every such place is listed.
 */
export const routeDeclaration: Migration = {
  appliesTo: (text) => /\bvalidate\b|\bRouteDescription\b|\bRouteResponse\b|\bcreateOpenApiDocument\b/.test(text),
  migrateFile(file, context): LeftPlace[] {
    const javascript = context.isJavaScript(file);
    for (;;) {
      const candidate = validateDeclarations(file).find((declaration) => !isMarked(statementOf(declaration)));
      if (candidate === undefined) break;
      const original = file.getFullText();
      const position = candidate.getStart();
      const name = candidate.getName();
      let outcome = convertRoute(file, candidate, { javascript });
      if (outcome === true && !javascript) {
        const errors = context.newErrors(file);
        if (errors.length > 0) outcome = `the rewritten route would not compile (${errors[0]!.split('\n')[0]!.slice(0, 300)})`;
      }
      if (outcome === true) continue;
      file.replaceWithText(original);
      markTodo(statementOf(file.getDescendantAtPos(position)!), `${DEP001}: ${name}: ${outcome}; declare this route with defineRoute() by hand`);
    }
    // Mark from the end backwards, so that each marker leaves the positions before it alone.
    const uses = deprecatedUses(file).map(({ node, reason }) => ({ statement: statementOf(node), reason }));
    for (const { statement, reason } of [...uses].sort((a, b) => b.statement.getStart() - a.statement.getStart())) {
      if (!isMarked(statement)) markTodo(statement, reason);
    }
    const places = new Map<number, LeftPlace>();
    for (const { node } of deprecatedUses(file)) {
      const statement = statementOf(node);
      places.set(statement.getStart(), { line: statement.getStartLineNumber(), reason: markedReason(statement) ?? 'deprecated API' });
    }
    return [...places.values()].sort((a, b) => a.line - b.line);
  },
};
