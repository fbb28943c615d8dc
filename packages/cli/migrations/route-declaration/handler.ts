import {
  Node,
  SyntaxKind,
  type ArrowFunction,
  type FunctionDeclaration,
  type FunctionExpression,
  type MethodDeclaration,
  type Statement,
} from 'ts-morph';
import { isPlatformExport, referencesInFile } from '../../src/codemod/platform-symbols.js';
import { parseSendChain, SENDERS, type Reply } from './replies.js';
import { propertyKey, quoteOf } from '../../src/codemod/source-text.js';
import { applyEdits, type Edit } from './text.js';

/** The request parts a route validates. */
export type Part = 'params' | 'query' | 'body';
export const PARTS: readonly Part[] = ['params', 'query', 'body'];

/** The handler, rewritten for a declared route. */
export interface RewrittenHandler {
  /** Its new source text (at its old place's indentation). */
  readonly text: string;
  readonly replies: readonly Reply[];
  /** Value types the old code cast `values(req)` to, by part: they type an untyped schema. */
  readonly castTypes: ReadonlyMap<Part, string>;
}

/** A handler as written: inline, a named function, or a controller object's property or method. */
export type Handler = ArrowFunction | FunctionExpression | FunctionDeclaration | MethodDeclaration;

interface Input {
  readonly handler: Handler;
  /** The validation middleware's variable (`createOrder` in `createOrder.values(req)`). */
  readonly validator: string;
  readonly parts: readonly Part[];
  readonly auth: boolean;
}

const inside = (node: Node, container: Node): boolean =>
  node.getStart() >= container.getStart() && node.getEnd() <= container.getEnd();
const within = (edit: Edit, outer: Edit): boolean =>
  edit !== outer && edit.start >= outer.start && edit.end <= outer.end;

// A node's text with the edits inside it applied: a reply built from it keeps the rewrites of its parts.
function textOf(node: Node, edits: readonly Edit[]): string {
  return applyEdits(
    node.getText(),
    edits.filter((edit) => edit.start >= node.getStart() && edit.end <= node.getEnd()),
    node.getStart(),
  );
}

// The function that owns a node: the handler itself, or a function nested in it.
function ownerFunction(node: Node): Node | undefined {
  return node.getFirstAncestor(
    (ancestor) =>
      Node.isFunctionLikeDeclaration(ancestor) || Node.isArrowFunction(ancestor) || Node.isFunctionExpression(ancestor),
  );
}

// After this statement the handler returns: nothing follows but `return;`, up to the handler's body.
function isTail(statement: Statement, handler: Handler): boolean {
  const parent = statement.getParent();
  if (Node.isBlock(parent)) {
    const siblings = parent.getStatements();
    const rest = siblings.slice(siblings.indexOf(statement) + 1);
    if (rest.length === 1 && Node.isReturnStatement(rest[0]) && rest[0].getExpression() === undefined) return true;
    if (rest.length > 0) return false;
    const owner = parent.getParent();
    if (owner === handler) return true;
    // The try block or the catch block of a try statement that is itself the tail (no finally).
    const tryStatement = Node.isCatchClause(owner) ? owner.getParent() : owner;
    if (Node.isTryStatement(tryStatement) && tryStatement.getFinallyBlock() === undefined)
      return isTail(tryStatement, handler);
    return Node.isIfStatement(owner) && isTail(owner, handler);
  }
  return Node.isIfStatement(parent) && isTail(parent, handler);
}

// Every path through the statement ends in a return, a throw or a converted reply.
function exits(statement: Node | undefined, replies: ReadonlySet<Node>): boolean {
  if (statement === undefined) return false;
  if (Node.isReturnStatement(statement) || Node.isThrowStatement(statement) || replies.has(statement)) return true;
  if (Node.isBlock(statement)) {
    const statements = statement.getStatements();
    const last = statements.at(-1);
    if (
      last !== undefined &&
      Node.isReturnStatement(last) &&
      last.getExpression() === undefined &&
      statements.length > 1
    )
      return exits(statements.at(-2), replies);
    return exits(last, replies);
  }
  if (Node.isIfStatement(statement))
    return exits(statement.getThenStatement(), replies) && exits(statement.getElseStatement(), replies);
  if (Node.isTryStatement(statement))
    return exits(statement.getTryBlock(), replies) && exits(statement.getCatchClause()?.getBlock(), replies);
  return false;
}

function replyText(reply: Reply, edits: readonly Edit[]): string {
  const quote = quoteOf(reply.root.getSourceFile());
  const one = (status: number) => {
    const parts = [`status: ${status}`];
    if (reply.body !== undefined) parts.push(`body: ${textOf(reply.body, edits)}`);
    if (reply.headers.length > 0)
      parts.push(
        `headers: { ${reply.headers.map(([name, value]) => `${propertyKey(name, quote)}: ${textOf(value, edits)}`).join(', ')} }`,
      );
    return `{ ${parts.join(', ')} }`;
  };
  // The body is read once either way: only one branch runs.
  return reply.otherwise === undefined
    ? one(reply.status)
    : `${textOf(reply.otherwise.condition, edits)} ? ${one(reply.status)} : ${one(reply.otherwise.status)}`;
}

/**
 * A handler whose whole body is `try { … } catch (err) { next(err) }`: with `next(err)` now
 * `throw err`, the catch only throws what it caught, and the try adds nothing. Its block stays,
 * one level out (the same statements, the same errors reach the error handler).
 */
function unwrapRethrow(handler: Handler, throws: ReadonlySet<Node>, edits: readonly Edit[]): Edit | undefined {
  const body = handler.getBody();
  const statements = Node.isBlock(body) ? body.getStatements() : [];
  const statement = statements[0];
  if (statements.length !== 1 || !Node.isTryStatement(statement) || statement.getFinallyBlock() !== undefined)
    return undefined;
  const clause = statement.getCatchClause();
  const caught = clause?.getVariableDeclaration()?.getName();
  const only = clause?.getBlock().getStatements() ?? [];
  if (caught === undefined || only.length !== 1 || !throws.has(only[0]!)) return undefined;
  const call = only[0]!.getFirstDescendantByKind(SyntaxKind.CallExpression);
  if (call?.getArguments().length !== 1 || call.getArguments()[0]!.getText() !== caught) return undefined;
  const block = statement.getTryBlock();
  const lines = textOf(block, edits).split('\n');
  if (lines.length < 3) return undefined;
  const text = block.getSourceFile().getFullText();
  const outer = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', statement.getStart() - 1) + 1))![0];
  const inner = lines.slice(1, -1);
  const deeper = /^[ \t]*/.exec(inner.find((line) => line.trim() !== '') ?? '')![0];
  if (!deeper.startsWith(outer) || deeper === outer) return undefined;
  const out = inner.map((line) =>
    line.startsWith(deeper) ? outer + line.slice(deeper.length) : line.trimStart() === '' ? '' : line,
  );
  return { start: statement.getStart(), end: statement.getEnd(), text: out.join('\n').slice(outer.length) };
}

/**
 * Rewrites an Express handler `(req, res) => { … res.status(201).json(x); }` of a validated route
 * into a declared route's handler `({ body, principal }) => { … return { status: 201, body: x }; }`:
 * `validator.values(req)` becomes the handler's validated values, `getPrincipal(req)` its
 * principal (on routes with auth), each reply a returned `{ status, body, headers }`. Where that
 * cannot be done without changing behaviour (a reply that is not the last thing the handler does,
 * `next` used, a reply inside a callback, a response that is not JSON), it answers the reason.
 *
 * @example
 * const rewritten = rewriteHandler({ handler, validator: 'createOrder', parts: ['body'], auth: true });
 */
export function rewriteHandler({ handler, validator, parts, auth }: Input): RewrittenHandler | string {
  const parameters = handler.getParameters();
  const [reqParam, resParam, nextParam] = parameters;
  if (parameters.length > 3 || parameters.some((p) => !Node.isIdentifier(p.getNameNode()) || p.isRestParameter()))
    return 'the handler does not take plain (req, res) parameters';
  const req = reqParam?.getName();
  const res = resParam?.getName();
  const edits: Edit[] = [];
  const throws = new Set<Node>();
  // next(error) passes the error to the error handler: a declared route's handler throws it.
  if (nextParam !== undefined) {
    for (const ref of referencesInFile(nextParam.getNameNode().asKindOrThrow(SyntaxKind.Identifier)).filter((r) =>
      inside(r, handler.getBody()!),
    )) {
      const call = ref.getParent();
      if (!Node.isCallExpression(call) || call.getExpression() !== ref)
        return `the handler uses next as ${call?.getText().slice(0, 40) ?? 'a value'}, not next(error)`;
      if (call.getArguments().length === 0)
        return "the handler calls next() to pass the request on to whatever comes next: which route answers then is not this one's to say";
      if (call.getArguments().length !== 1 || ownerFunction(call) !== handler)
        return `${call.getText().slice(0, 40)} is not next(error) in the handler itself`;
      const statement = call.getParent();
      const error = call.getArguments()[0]!.getText();
      if (Node.isReturnStatement(statement) || (Node.isExpressionStatement(statement) && isTail(statement, handler))) {
        edits.push({ start: statement.getStart(), end: statement.getEnd(), text: `throw ${error};` });
        throws.add(statement);
        const after = statement.getNextSibling();
        if (
          Node.isExpressionStatement(statement) &&
          Node.isReturnStatement(after) &&
          after.getExpression() === undefined
        )
          edits.push({ start: statement.getEnd(), end: after.getEnd(), text: '' });
      } else return `${call.getText().slice(0, 40)} is not the last thing the handler does`;
    }
  }
  // The uses of req and res that the rewrite takes away; any other keeps them in the handler's input.
  const consumed = new Set<number>();
  const bindings = new Map<string, string>();
  const castTypes = new Map<Part, string>();
  const use = (part: string, alias = part) => bindings.set(alias === part ? part : `${part}: ${alias}`, part);
  const body = handler.getBody()!;

  // validator.values(req)
  for (const call of body.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (
      !Node.isPropertyAccessExpression(callee) ||
      callee.getName() !== 'values' ||
      callee.getExpression().getText() !== validator
    )
      continue;
    if (call.getArguments().length !== 1 || call.getArguments()[0]!.getText() !== req)
      return `${call.getText()} reads the values of another request`;
    consumed.add(call.getArguments()[0]!.getStart());
    const parent = call.getParent();
    if (
      Node.isPropertyAccessExpression(parent) &&
      parent.getExpression() === call &&
      (parts as string[]).includes(parent.getName())
    ) {
      edits.push({ start: parent.getStart(), end: parent.getEnd(), text: parent.getName() });
      use(parent.getName());
      continue;
    }
    let outer: Node = call;
    for (
      let up = outer.getParent();
      up !== undefined &&
      (Node.isAsExpression(up) ||
        Node.isParenthesizedExpression(up) ||
        Node.isNonNullExpression(up) ||
        Node.isSatisfiesExpression(up));
      up = up.getParent()
    ) {
      if (Node.isAsExpression(up)) {
        const typeNode = up.getTypeNode();
        if (Node.isTypeLiteral(typeNode)) {
          for (const member of typeNode.getProperties())
            if ((PARTS as string[]).includes(member.getName()) && member.getTypeNode() !== undefined)
              castTypes.set(member.getName() as Part, member.getTypeNode()!.getText());
        }
      }
      outer = up;
    }
    const declaration = outer.getParent();
    if (
      Node.isVariableDeclaration(declaration) &&
      declaration.getInitializer() === outer &&
      Node.isObjectBindingPattern(declaration.getNameNode())
    ) {
      for (const element of declaration.getNameNode().asKindOrThrow(SyntaxKind.ObjectBindingPattern).getElements()) {
        const property = element.getPropertyNameNode()?.getText() ?? element.getName();
        if (
          element.getDotDotDotToken() !== undefined ||
          element.getInitializer() !== undefined ||
          !(parts as string[]).includes(property)
        )
          return `${declaration.getText()} takes more than the validated parts`;
        use(property, element.getName());
      }
      const list = declaration.getParent();
      const statement = list.getParent();
      if (
        !Node.isVariableDeclarationList(list) ||
        list.getDeclarations().length !== 1 ||
        !Node.isVariableStatement(statement)
      )
        return `${declaration.getText()} declares more than the validated values`;
      // The whole line goes when the statement is alone on it; else only the statement.
      const text = handler.getSourceFile().getFullText();
      const lineStart = text.lastIndexOf('\n', statement.getStart() - 1) + 1;
      const lineEnd = text.indexOf('\n', statement.getEnd());
      const alone =
        lineStart > handler.getStart() &&
        lineEnd !== -1 &&
        text.slice(lineStart, statement.getStart()).trim() === '' &&
        text.slice(statement.getEnd(), lineEnd).trim() === '';
      edits.push(
        alone
          ? { start: lineStart, end: lineEnd + 1, text: '' }
          : { start: statement.getStart(), end: statement.getEnd(), text: '' },
      );
      continue;
    }
    for (const part of parts) use(part);
    edits.push({ start: call.getStart(), end: call.getEnd(), text: `({ ${parts.join(', ')} })` });
  }

  // getPrincipal(req) on a route with auth: the principal the declared route hands in.
  if (auth) {
    for (const call of body.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (call.getArguments().length !== 1 || call.getArguments()[0]!.getText() !== req) continue;
      if (!isPlatformExport(callee, 'getPrincipal') && !isPlatformExport(callee, 'tryGetPrincipal')) continue;
      edits.push({ start: call.getStart(), end: call.getEnd(), text: 'principal' });
      consumed.add(call.getArguments()[0]!.getStart());
      bindings.set('principal', 'principal');
    }
  }

  // Replies: each sending chain on res becomes a returned reply.
  const replies: Reply[] = [];
  const replyStatements = new Set<Node>();
  const replyEdits: Edit[] = [];
  if (res !== undefined) {
    for (const call of [body, ...body.getDescendantsOfKind(SyntaxKind.CallExpression)]) {
      if (!Node.isCallExpression(call)) continue;
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee) || !SENDERS.has(callee.getName())) continue;
      let root: Node = callee;
      while (Node.isPropertyAccessExpression(root) || Node.isCallExpression(root)) root = root.getExpression();
      if (root.getText() !== res) continue;
      if (ownerFunction(call) !== handler) return `${call.getText()} answers from inside a callback`;
      const reply = parseSendChain(call, res);
      if (typeof reply === 'string') return reply;
      const parent = call.getParent();
      if (body === call) {
        replyEdits.push({ start: call.getStart(), end: call.getEnd(), text: `(${replyText(reply, edits)})` });
      } else if (Node.isReturnStatement(parent) || (Node.isExpressionStatement(parent) && isTail(parent, handler))) {
        replyEdits.push({ start: parent.getStart(), end: parent.getEnd(), text: `return ${replyText(reply, edits)};` });
        replyStatements.add(parent);
        // The `return;` that ended the handler after the reply is the reply's own return now.
        const next = parent.getNextSibling();
        if (Node.isExpressionStatement(parent) && Node.isReturnStatement(next) && next.getExpression() === undefined)
          replyEdits.push({ start: parent.getEnd(), end: next.getEnd(), text: '' });
      } else return `${call.getText()} is not the last thing the handler does`;
      consumed.add(reply.root.getStart());
      replies.push(reply);
    }
  }
  if (replies.length === 0) return 'the handler sends no JSON reply the migration can see';
  if (Node.isBlock(body) && !exits(body, new Set([...replyStatements, ...throws])))
    return 'a path through the handler ends without a reply';

  // What is left of req and res stays at hand: the declared route passes both.
  for (const [name, param] of [
    ['req', reqParam],
    ['res', resParam],
  ] as const) {
    if (param === undefined) continue;
    const refs = referencesInFile(param.getNameNode().asKindOrThrow(SyntaxKind.Identifier)).filter((ref) =>
      inside(ref, body),
    );
    if (refs.some((ref) => !consumed.has(ref.getStart())))
      bindings.set(param.getName() === name ? name : `${name}: ${param.getName()}`, name);
  }
  const order = ['params', 'query', 'body', 'principal', 'req', 'res'];
  const pattern = [...bindings].sort((a, b) => order.indexOf(a[1]) - order.indexOf(b[1])).map(([binding]) => binding);
  // A reply's text already holds the rewrites inside it: keep only the outermost edits.
  const all = [...edits, ...replyEdits];
  const unwrapped = unwrapRethrow(handler, throws, all);
  if (unwrapped !== undefined) all.push(unwrapped);
  const outermost = all.filter((edit) => !all.some((outer) => within(edit, outer)));
  edits.length = 0;
  edits.push(...outermost);
  const first = parameters[0];
  const last = parameters.at(-1);
  const open = handler.getFirstChildByKind(SyntaxKind.OpenParenToken);
  const close = handler.getFirstChildByKind(SyntaxKind.CloseParenToken);
  const params = pattern.length === 0 ? '' : `{ ${pattern.join(', ')} }`;
  if (open !== undefined && close !== undefined)
    edits.push({ start: open.getEnd(), end: close.getStart(), text: params });
  else if (first !== undefined && last !== undefined)
    edits.push({ start: first.getStart(), end: last.getEnd(), text: `(${params})` });
  const returnType = handler.getReturnTypeNode();
  if (returnType !== undefined && close !== undefined)
    edits.push({ start: close.getEnd(), end: returnType.getEnd(), text: '' });
  return { text: applyEdits(handler.getText(), edits, handler.getStart()), replies, castTypes };
}
