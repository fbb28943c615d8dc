import { Node, SyntaxKind } from 'ts-morph';
import type { RoutePlan } from './plan-route.js';
import type { RouteSite } from './sites.js';

const segments = (path: string): string[] => path.split('/').filter((s) => s !== '');

function overlaps(a: string, b: string): boolean {
  const x = segments(a);
  const y = segments(b);
  return (
    x.length === y.length &&
    x.every((segment, i) => segment === y[i] || segment.startsWith(':') || y[i]!.startsWith(':'))
  );
}

// Whether a registration statement could answer a request the route answers: `use()`, `all()`, a
// method of the route's on an overlapping path, or anything the migration cannot read.
function interferes(statement: Node, route: RouteSite): boolean {
  for (const call of statement.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) continue;
    const name = callee.getName();
    if (name === 'use' || name === 'all') return true;
    if (name === 'route') continue;
    if (!['get', 'post', 'put', 'patch', 'delete', 'head', 'options'].includes(name)) continue;
    const chain = callee.getExpression();
    let path: Node | undefined = call.getArguments()[0];
    for (let node: Node = chain; Node.isCallExpression(node);) {
      const inner = node.getExpression();
      if (!Node.isPropertyAccessExpression(inner)) break;
      if (inner.getName() === 'route') {
        path = node.getArguments()[0];
        break;
      }
      node = inner.getExpression();
    }
    if (!Node.isStringLiteral(path)) return true;
    if (
      (name === route.method || (name === 'head' && route.method === 'get')) &&
      overlaps(path.getLiteralText(), route.path ?? '/')
    )
      return true;
  }
  return false;
}

// The statements of the router's block that register something on it, in order.
function routerStatements(site: RouteSite): Node[] {
  const name = site.router!;
  const declaration = name.getSymbol()?.getDeclarations()[0];
  if (declaration === undefined) return [];
  const statements: Node[] = [];
  for (const ref of (
    declaration
      .asKind(SyntaxKind.VariableDeclaration)
      ?.getNameNode()
      .asKind(SyntaxKind.Identifier)
      ?.findReferencesAsNodes() ?? []
  ).filter((r) => r.getSourceFile() === site.file)) {
    const parent = ref.getParent();
    if (!Node.isPropertyAccessExpression(parent) || parent.getExpression() !== ref) continue;
    const statement = ref.getFirstAncestor((a) => Node.isExpressionStatement(a));
    if (statement !== undefined && !statements.includes(statement)) statements.push(statement);
  }
  return statements.sort((a, b) => a.getStart() - b.getStart());
}

/**
 * The routes of one router, in registration order, cut into runs that can share one route group:
 * registered one after the other with the same auth object and tag, and with no registration
 * between them that could answer the same request (moving the earlier routes to the later mount
 * would change which answers first).
 *
 * @example
 * groupRuns(plans).map((run) => run.map((plan) => plan.name)); // [['listOrders', 'createOrder'], ['getOrder']]
 */
export function groupRuns(plans: readonly RoutePlan[]): RoutePlan[][] {
  const runs: RoutePlan[][] = [];
  if (plans.length === 0) return runs;
  const registrations = routerStatements(plans[0]!.site);
  for (const plan of [...plans].sort((a, b) => a.site.call.getStart() - b.site.call.getStart())) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    const between =
      last === undefined
        ? []
        : registrations.filter(
            (statement) =>
              statement.getStart() > last.site.statement.getStart() &&
              statement.getStart() < plan.site.statement.getStart() &&
              !plans.some((p) => p.site.statement === statement),
          );
    const groupAuth = run?.find((p) => p.authObject !== undefined)?.authObject?.getText();
    const sameGroup =
      last !== undefined &&
      (groupAuth === undefined || plan.authObject === undefined || plan.authObject.getText() === groupAuth) &&
      last.description?.tag === plan.description?.tag &&
      !between.some((statement) => run!.some((moved) => interferes(statement, moved.site)));
    if (run !== undefined && sameGroup) run.push(plan);
    else runs.push([plan]);
  }
  return runs;
}
