import { Node, type FunctionDeclaration, type Identifier, type VariableDeclaration } from 'ts-morph';
import { isPlatformExport } from '../../src/codemod/platform-symbols.js';
import { isRouterCreation } from './sites.js';

/** Where a router is: its declaration, the function that builds it (a factory), where it is mounted. */
export interface RouterPlace {
  readonly declaration: VariableDeclaration;
  /** The function that builds and returns it (`export function ordersRouter(auth) { … return router; }`). */
  readonly factory: FunctionDeclaration | undefined;
  /** Absolute paths it is mounted at (`/api/v1/orders`; `''` for the root), as the project says. */
  readonly prefixes: readonly string[];
  /** Why a prefix could not be read, when some mount is not a literal `use('/path', router)`. */
  readonly unknown: string | undefined;
}

// `express.Router()`, or a chain of registrations on it (`express.Router().get(…).post(…)`).
function createsRouter(node: Node | undefined): boolean {
  let current = node;
  while (Node.isCallExpression(current)) {
    if (isRouterCreation(current)) return true;
    const callee = current.getExpression();
    current = Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined;
  }
  return false;
}

function literal(node: Node | undefined): string | undefined {
  return node !== undefined && (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node))
    ? node.getLiteralText()
    : undefined;
}

const normal = (path: string) => (path === '/' ? '' : path.replace(/\/$/, ''));

/**
 * Where `expression` (a router, or a call of a function that returns one) is mounted: each
 * `x.use('/path', expression)` (x itself mounted somewhere when it is a router too), and
 * `createServiceApp({ routes: expression })` (the root). Reasons when a use is not one of those.
 */
function mountsOf(reference: Node, depth: number): { prefixes: string[]; unknown: string | undefined } {
  const parent = reference.getParent();
  if (Node.isCallExpression(parent) && parent.getArguments().includes(reference)) {
    const callee = parent.getExpression();
    const [path, router, ...rest] = parent.getArguments();
    if (Node.isPropertyAccessExpression(callee) && callee.getName() === 'use') {
      const at = router === reference ? literal(path) : path === reference && router === undefined ? '/' : undefined;
      if (at === undefined || rest.length > 0)
        return { prefixes: [], unknown: `${parent.getText().slice(0, 60)} is not use('/path', router)` };
      const outer = callee.getExpression();
      const outerPlace = Node.isIdentifier(outer) && depth < 4 ? routerPlace(outer, depth + 1) : undefined;
      if (outerPlace === undefined) return { prefixes: [normal(at)], unknown: undefined };
      return {
        prefixes: outerPlace.prefixes.map((prefix) => normal(prefix + normal(at))),
        unknown: outerPlace.unknown,
      };
    }
    return { prefixes: [], unknown: `it is passed to ${callee.getText().slice(0, 40)}()` };
  }
  const holder = Node.isArrayLiteralExpression(parent) ? parent.getParent() : parent;
  if (
    (Node.isPropertyAssignment(holder) || Node.isShorthandPropertyAssignment(holder)) &&
    holder.getName() === 'routes'
  ) {
    const call = holder.getParent()?.getParent();
    if (Node.isCallExpression(call) && isPlatformExport(call.getExpression(), 'createServiceApp'))
      return { prefixes: [''], unknown: undefined };
  }
  return { prefixes: [], unknown: `${(parent ?? reference).getText().slice(0, 60)} does not say where it is mounted` };
}

/**
 * The place of a router variable: built where, returned by which factory, mounted where (across
 * the project: `app.use('/api/v1/orders', ordersRouter(auth))` in another module counts).
 *
 * @example
 * routerPlace(site.router)?.prefixes; // ['/api/v1/orders']
 */
export function routerPlace(router: Identifier, depth = 0): RouterPlace | undefined {
  const symbol = router.getSymbol();
  const target = symbol?.isAlias() === true ? symbol.getAliasedSymbol() : symbol;
  const declaration = target?.getDeclarations()[0];
  if (!Node.isVariableDeclaration(declaration) || !createsRouter(declaration.getInitializer())) return undefined;
  const name = declaration.getNameNode();
  if (!Node.isIdentifier(name)) return undefined;
  const prefixes: string[] = [];
  let unknown: string | undefined;
  let factory: FunctionDeclaration | undefined;
  for (const reference of name.findReferencesAsNodes()) {
    const parent = reference.getParent();
    if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === reference) continue;
    if (Node.isImportSpecifier(parent) || Node.isExportSpecifier(parent)) continue;
    if (Node.isReturnStatement(parent)) {
      const fn = parent.getFirstAncestor(
        (a) => Node.isFunctionDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a),
      );
      if (!Node.isFunctionDeclaration(fn) || fn.getNameNode() === undefined) {
        unknown = 'it is returned by a function that has no name';
        continue;
      }
      factory = fn;
      for (const call of fn.getNameNode()!.findReferencesAsNodes()) {
        const callExpression = call.getParent();
        if (Node.isImportSpecifier(callExpression) || Node.isExportSpecifier(callExpression)) continue;
        if (!Node.isCallExpression(callExpression) || callExpression.getExpression() !== call) {
          unknown = `${fn.getName()!} is used as ${callExpression?.getText().slice(0, 40) ?? '?'}`;
          continue;
        }
        const mounts = mountsOf(callExpression, depth);
        prefixes.push(...mounts.prefixes);
        unknown ??= mounts.unknown;
      }
      continue;
    }
    const mounts = mountsOf(reference, depth);
    prefixes.push(...mounts.prefixes);
    unknown ??= mounts.unknown;
  }
  return { declaration, factory, prefixes: [...new Set(prefixes)], unknown };
}
