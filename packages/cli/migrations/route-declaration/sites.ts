import {
  Node,
  SyntaxKind,
  type CallExpression,
  type Identifier,
  type SourceFile,
  type Statement,
  type VariableDeclaration,
} from 'ts-morph';
import { isPlatformExport } from '../../src/codemod/platform-symbols.js';

/** Methods a declared route can have. */
export const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);
// defineRoute's path rule: literal segments and `:params`.
export const ROUTE_PATH =
  /^\/(?:[A-Za-z0-9._~-]+|:[A-Za-z_][A-Za-z0-9_]*)?(?:\/(?:[A-Za-z0-9._~-]+|:[A-Za-z_][A-Za-z0-9_]*))*$/;

/** One route registered with a `validate()` middleware, as written. */
export interface RouteSite {
  /** Stable across rewrites of other routes: file, method, path, validator. */
  readonly key: string;
  readonly file: SourceFile;
  /** The statement that registers it (a `router.route(...)` chain registers several). */
  readonly statement: Statement;
  /** `router.get(...)`, or one link `.patch(...)` of a `router.route('/x')` chain. */
  readonly call: CallExpression;
  /** The `router.route('/x')` call when the route is a link of a chain. */
  readonly chainRoot: CallExpression | undefined;
  /** The route is a link of the chain that creates its router: `const router = express.Router().get(…)`. */
  readonly creationChain: boolean;
  /** The router variable (the chain's root identifier). */
  readonly router: Identifier | undefined;
  readonly method: string;
  /** As registered on the router. */
  readonly path: string | undefined;
  readonly args: readonly Node[];
  readonly validatorArg: Identifier;
  readonly validator: VariableDeclaration;
  readonly line: number;
}

/** The `validate()` declaration an identifier names, in any file of the project. */
export function validatorDeclaration(identifier: Node): VariableDeclaration | undefined {
  if (!Node.isIdentifier(identifier)) return undefined;
  const symbol = identifier.getSymbol();
  const target = symbol?.isAlias() === true ? symbol.getAliasedSymbol() : symbol;
  const declaration = target?.getDeclarations()[0];
  if (!Node.isVariableDeclaration(declaration)) return undefined;
  const init = declaration.getInitializer();
  return Node.isCallExpression(init) && isPlatformExport(init.getExpression(), 'validate') ? declaration : undefined;
}

/** `express.Router()`, `Router()`, `express.Router({ … })`. */
export function isRouterCreation(node: Node | undefined): boolean {
  if (!Node.isCallExpression(node)) return false;
  const callee = node.getExpression();
  return Node.isPropertyAccessExpression(callee)
    ? callee.getName() === 'Router'
    : Node.isIdentifier(callee) && callee.getText() === 'Router';
}

// The variable a chain `express.Router().get(…).post(…)` ends up in.
function assignedTo(call: Node): Node | undefined {
  let node: Node = call;
  for (;;) {
    const parent = node.getParent();
    if (Node.isVariableDeclaration(parent) && parent.getInitializer() === node) return parent.getNameNode();
    if (
      Node.isPropertyAccessExpression(parent) &&
      parent.getExpression() === node &&
      Node.isCallExpression(parent.getParent())
    ) {
      node = parent.getParentOrThrow();
      continue;
    }
    return undefined;
  }
}

function literal(node: Node | undefined): string | undefined {
  return node !== undefined && (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node))
    ? node.getLiteralText()
    : undefined;
}

/** The statement of a block (or the file) that holds a node. */
export function statementOf(node: Node): Statement {
  let current: Node = node;
  for (;;) {
    const parent = current.getParent();
    if (
      parent === undefined ||
      Node.isSourceFile(parent) ||
      Node.isBlock(parent) ||
      Node.isCaseClause(parent) ||
      Node.isModuleBlock(parent)
    )
      return current as Statement;
    current = parent;
  }
}

/**
 * Every route of the file registered with a `validate()` middleware: `router.post('/', …, v, handler)`
 * and the links of `router.route('/:id').get(…, v, h).patch(…)` chains.
 *
 * @example
 * findRouteSites(file, root).map((site) => `${site.method} ${site.path}`);
 */
export function findRouteSites(file: SourceFile, relativePath: string): RouteSite[] {
  const sites: RouteSite[] = [];
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || !METHODS.has(callee.getName())) continue;
    const args = call.getArguments();
    const validatorArg = args.find((arg) => validatorDeclaration(arg) !== undefined) as Identifier | undefined;
    if (validatorArg === undefined) continue;
    const receiver = callee.getExpression();
    // The chain down to its root: `router.route('/x').get(...).patch(...)`.
    let chainRoot: CallExpression | undefined;
    let creationChain = false;
    let node: Node = receiver;
    while (Node.isCallExpression(node)) {
      const inner = node.getExpression();
      if (isRouterCreation(node)) {
        // `express.Router().get(…)`: the router is the variable the whole chain is assigned to.
        creationChain = true;
        node = assignedTo(call) ?? node;
        break;
      }
      if (!Node.isPropertyAccessExpression(inner)) break;
      if (inner.getName() === 'route') {
        chainRoot = node;
        node = inner.getExpression();
        break;
      }
      node = inner.getExpression();
    }
    const path = chainRoot !== undefined ? literal(chainRoot.getArguments()[0]) : literal(args[0]);
    const method = callee.getName();
    const validator = validatorDeclaration(validatorArg)!;
    sites.push({
      key: `${relativePath}|${method}|${path ?? '?'}|${validatorArg.getText()}`,
      file,
      statement: statementOf(call),
      call,
      chainRoot,
      creationChain,
      router: Node.isIdentifier(node) ? node : undefined,
      method,
      path,
      args: chainRoot !== undefined ? args : args.slice(1),
      validatorArg,
      validator,
      line: call.getStartLineNumber(),
    });
  }
  return sites;
}
