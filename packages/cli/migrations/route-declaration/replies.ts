import { Node, type CallExpression } from 'ts-morph';

/** What one `res.….json(…)` chain sent, as the declared route's reply. */
export interface Reply {
  readonly status: number;
  /** The body expression, when there is one. */
  readonly body: Node | undefined;
  /** Header name → value expression. */
  readonly headers: readonly (readonly [string, Node])[];
  /** The `res` identifier the chain starts at. */
  readonly root: Node;
  /** `res.status(created ? 201 : 200)`: the condition, and the status when it does not hold (`status` is the other). */
  readonly otherwise?: { readonly condition: Node; readonly status: number };
}

/** Methods of Express's response that send it. */
export const SENDERS = new Set([
  'json',
  'send',
  'end',
  'sendStatus',
  'redirect',
  'render',
  'sendFile',
  'download',
  'jsonp',
  'write',
  'writeHead',
  'pipe',
  'attachment',
  'format',
]);

function stringValue(node: Node | undefined): string | undefined {
  return node !== undefined && (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node))
    ? node.getLiteralText()
    : undefined;
}

function statusValue(node: Node | undefined): number | undefined {
  return node !== undefined && Node.isNumericLiteral(node) ? node.getLiteralValue() : undefined;
}

/**
 * Reads a chain such as `res.status(201).location(url).json(entity)` on the handler's response
 * `res`: the status (a number literal, 200 when absent), headers set with `location`, `set` or
 * `header` (literal names) and the body of `json`. `end()` sends no body; `sendStatus(204)` is
 * the 204 it says. Anything else (`send`, `type`, a computed status...) is a reason to leave the route.
 *
 * @example
 * parseSendChain(call, 'res'); // { status: 201, body: <entity>, headers: [['Location', <url>]], root: <res> }
 */
export function parseSendChain(call: CallExpression, res: string): Reply | string {
  const steps: { name: string; args: Node[]; node: CallExpression }[] = [];
  let node: Node = call;
  while (Node.isCallExpression(node)) {
    const callee = node.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return `${call.getText()} is not a chain of response methods`;
    steps.unshift({ name: callee.getName(), args: node.getArguments(), node });
    node = callee.getExpression();
  }
  if (!Node.isIdentifier(node) || node.getText() !== res)
    return `${call.getText()} does not start at the handler's response`;
  let status = 200;
  let otherwise: { condition: Node; status: number } | undefined;
  const headers: [string, Node][] = [];
  const last = steps.at(-1)!;
  for (const step of steps.slice(0, -1)) {
    if (step.name === 'status') {
      const arg = step.args[0];
      // `created ? 201 : 200`: two replies, one per branch.
      if (
        Node.isConditionalExpression(arg) &&
        statusValue(arg.getWhenTrue()) !== undefined &&
        statusValue(arg.getWhenFalse()) !== undefined
      ) {
        status = statusValue(arg.getWhenTrue())!;
        otherwise = { condition: arg.getCondition(), status: statusValue(arg.getWhenFalse())! };
        continue;
      }
      const value = statusValue(arg);
      if (value === undefined)
        return `res.status(${arg?.getText() ?? ''}) is neither a number nor a choice of two numbers`;
      status = value;
    } else if (step.name === 'location' && step.args.length === 1) headers.push(['Location', step.args[0]!]);
    else if (
      (step.name === 'set' || step.name === 'header') &&
      step.args.length === 2 &&
      stringValue(step.args[0]) !== undefined
    )
      headers.push([stringValue(step.args[0])!, step.args[1]!]);
    else return `res.${step.name}() in a reply has no equivalent in a declared route's reply`;
  }
  if (last.name === 'json' && last.args.length === 1)
    return { status, body: last.args[0], headers, root: node, ...(otherwise === undefined ? {} : { otherwise }) };
  if (last.name === 'end' && last.args.length === 0)
    return { status, body: undefined, headers, root: node, ...(otherwise === undefined ? {} : { otherwise }) };
  if (last.name === 'sendStatus' && statusValue(last.args[0]) === 204 && steps.length === 1)
    return { status: 204, body: undefined, headers, root: node };
  return `res.${last.name}(${last.args.map((a) => a.getText()).join(', ')}) sends something other than JSON or an empty body`;
}
