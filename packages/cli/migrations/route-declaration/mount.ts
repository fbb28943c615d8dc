import { Node } from 'ts-morph';
import { isPlatformExport, referencesInFile } from './platform-symbols.js';

// The variable a router expression ends up in: `const router = express.Router().get(...)`.
function variableOf(receiver: Node): Node | undefined {
  let node: Node = receiver;
  for (;;) {
    if (Node.isIdentifier(node)) return node;
    const parent = node.getParent();
    if (Node.isVariableDeclaration(parent) && parent.getInitializer() === node) return parent.getNameNode();
    // Up the chain: a call on this expression, or this expression as a call's callee.
    if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === node) {
      const call = parent.getParent();
      if (!Node.isCallExpression(call)) return undefined;
      node = call;
      continue;
    }
    return undefined;
  }
}

/**
 * Where the router a route is registered on is mounted, when the file says so in one place:
 * `app.use('/api/v1/orders', router)` → `/api/v1/orders`, `createServiceApp({ routes: router })`
 * (or in its `routes` array) → `''` (the root). Undefined when it is mounted elsewhere, more
 * than once, passed on, or not a local variable.
 *
 * @example
 * mountPrefix(registration.receiver); // '/api/v1/orders'
 */
export function mountPrefix(receiver: Node): string | undefined {
  const variable = variableOf(receiver);
  if (variable === undefined || !Node.isIdentifier(variable)) return undefined;
  const declaration = variable.getSymbol()?.getDeclarations()[0];
  if (!Node.isVariableDeclaration(declaration) || declaration.getVariableStatement()?.hasExportKeyword() === true) return undefined;
  const name = declaration.getNameNode();
  if (!Node.isIdentifier(name)) return undefined;
  const mounts: string[] = [];
  for (const reference of referencesInFile(name)) {
    const parent = reference.getParent();
    // router.get(...) and the like: a use of the router, not a mount.
    if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === reference) continue;
    if (Node.isCallExpression(parent) && parent.getArguments().includes(reference)) {
      const callee = parent.getExpression();
      const [path, router, ...rest] = parent.getArguments();
      if (Node.isPropertyAccessExpression(callee) && callee.getName() === 'use' && router === reference && rest.length === 0 && (Node.isStringLiteral(path) || Node.isNoSubstitutionTemplateLiteral(path))) {
        mounts.push(path.getLiteralText().replace(/\/$/, ''));
        continue;
      }
      return undefined;
    }
    const holder = Node.isArrayLiteralExpression(parent) ? parent.getParent() : parent;
    const property = Node.isPropertyAssignment(holder) || Node.isShorthandPropertyAssignment(holder) ? holder : undefined;
    const call = property?.getParent()?.getParent();
    if (property?.getName() === 'routes' && Node.isCallExpression(call) && isPlatformExport(call.getExpression(), 'createServiceApp')) {
      mounts.push('');
      continue;
    }
    return undefined;
  }
  return mounts.length === 1 ? mounts[0] : undefined;
}
