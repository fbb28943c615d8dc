import { STATUS_CODES } from 'node:http';
import {
  Node,
  SyntaxKind,
  VariableDeclarationKind,
  type Expression,
  type FunctionDeclaration,
  type Identifier,
  type MethodDeclaration,
  type PropertyAssignment,
  type SourceFile,
  type VariableDeclaration,
} from 'ts-morph';
import { readDescription, type Description } from './description.js';
import { freeNames, visibleAt, type FreeName } from './free-names.js';
import { PARTS, rewriteHandler, type Handler, type Part, type RewrittenHandler } from './handler.js';
import { joiValueType } from './joi-type.js';
import { namedTypes, responseSchema } from './schema-from-type.js';
import { ROUTE_PATH, type RouteSite } from './sites.js';
import { literal, propertyKey } from '../../src/codemod/source-text.js';
import { applyEdits, type Edit } from './text.js';

/** A route the migration can declare: everything its declaration and its removal need. */
export interface RoutePlan {
  readonly site: RouteSite;
  readonly name: string;
  readonly description: Description | undefined;
  /** `true`, `{ roles: [...] }` or undefined (public). */
  readonly auth: string | undefined;
  /** The auth object (`auth` in `auth.requireAuth()`), as source text, and its node. */
  readonly authObject: Node | undefined;
  readonly middleware: readonly Node[];
  readonly handler: Handler;
  /** Where the handler is declared apart from the route (a named or imported function, a controller's property), to be removed. */
  readonly handlerDeclaration:
    FunctionDeclaration | VariableDeclaration | PropertyAssignment | MethodDeclaration | undefined;
  readonly rewritten: RewrittenHandler;
  readonly parts: ReadonlyMap<Part, Expression>;
  /** The value type each untyped request schema gets. */
  readonly partTypes: ReadonlyMap<Part, string>;
  readonly responses: string;
  readonly summary: string;
  readonly operationId: string;
  /** Names the declaration uses from the handler's or the description's file, to import where it lands. */
  readonly imports: readonly FreeName[];
  /** Untyped response schemas declared in a const: the const's `joi.object(` gets this type. */
  readonly typedSchemas: readonly { readonly at: Node; readonly type: string }[];
  /**
   * Where the declaration goes: where the validator was; right before its registration (when the
   * handler needs what only the router's function has, and no document outside reads the route);
   * or at module level right before the statement that registers it (a validator of another module).
   * @default 'validator'
   */
  readonly placement?: 'validator' | 'registration' | 'module';
  /**
   * The validator stays, as the route's `request`: it guards other routes too, or it is declared in
   * a module of validators. Its `validate({ … })` becomes `{ … }`, and the route is declared where
   * it is registered.
   */
  readonly shared: boolean;
}

function lineOf(node: Node): string {
  return `${node.getSourceFile().getBaseName()}:${node.getStartLineNumber()}`;
}

function partsOf(validator: VariableDeclaration): Map<Part, Expression> | string {
  const call = validator.getInitializerIfKindOrThrow(SyntaxKind.CallExpression);
  const [options, ...rest] = call.getArguments();
  if (!Node.isObjectLiteralExpression(options) || rest.length > 0)
    return 'validate() is not called with { params, query, body } written out';
  const parts = new Map<Part, Expression>();
  for (const property of options.getProperties()) {
    const name =
      Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property)
        ? property.getName()
        : undefined;
    if (name === undefined || !(PARTS as string[]).includes(name))
      return `validate() has ${property.getText().slice(0, 40)}, not only params, query and body`;
    parts.set(
      name as Part,
      Node.isPropertyAssignment(property)
        ? property.getInitializerOrThrow()
        : property.asKindOrThrow(SyntaxKind.ShorthandPropertyAssignment).getNameNode(),
    );
  }
  return parts;
}

function readAuth(node: Node): { auth: string; object: Node } | undefined {
  let call: Node | undefined = node;
  if (Node.isIdentifier(node)) {
    const declaration = node.getSymbol()?.getDeclarations()[0];
    call = Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
  }
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const roles = call.getArguments();
  if (callee.getName() === 'requireAuth' && roles.length === 0) return { auth: 'true', object: callee.getExpression() };
  if (callee.getName() === 'requireRole' && roles.length > 0 && roles.every((role) => Node.isStringLiteral(role)))
    return { auth: `{ roles: [${roles.map((r) => r.getText()).join(', ')}] }`, object: callee.getExpression() };
  return undefined;
}

interface ResolvedHandler {
  readonly handler: Handler;
  readonly declaration: FunctionDeclaration | VariableDeclaration | PropertyAssignment | MethodDeclaration | undefined;
  /** The name the route takes after it (a controller's property: `booksController.list` → `booksList`). */
  readonly name: string | undefined;
}

// `booksController.list`: a function property of a const object literal (a controller), used by this route alone.
function resolveControllerHandler(arg: Node): ResolvedHandler | string {
  if (!Node.isPropertyAccessExpression(arg) || !Node.isIdentifier(arg.getExpression()))
    return `its handler ${arg.getText().slice(0, 40)} is not a function the migration can read`;
  const owner = arg.getExpression();
  const symbol = owner.getSymbol();
  const target = symbol?.isAlias() === true ? symbol.getAliasedSymbol() : symbol;
  const holder = target?.getDeclarations()[0];
  const object = Node.isVariableDeclaration(holder) ? holder.getInitializer() : undefined;
  if (!Node.isVariableDeclaration(holder) || !Node.isObjectLiteralExpression(object))
    return `its handler ${arg.getText().slice(0, 40)} is not a property of an object literal the migration can read (a class instance's method keeps its this)`;
  if (holder.getVariableStatement()?.getDeclarationKind() !== VariableDeclarationKind.Const)
    return `${owner.getText()} is not a const: its ${arg.getName()} could change`;
  if (holder.getSourceFile().isDeclarationFile() || holder.getSourceFile().getFilePath().includes('/node_modules/'))
    return `its handler ${arg.getText()} comes from a package`;
  const property = object.getProperty(arg.getName());
  const value = Node.isPropertyAssignment(property) ? property.getInitializer() : property;
  const init =
    Node.isArrowFunction(value) ||
    Node.isFunctionExpression(value) ||
    (Node.isMethodDeclaration(value) && value.getBody() !== undefined && value.getAsteriskToken() === undefined)
      ? value
      : undefined;
  if (init === undefined || !(Node.isPropertyAssignment(property) || Node.isMethodDeclaration(property)))
    return `its handler ${arg.getText()} is not a function of ${owner.getText()} the migration can read`;
  // `this` of the handler itself (not of a function or class inside it) would change with its place.
  const ownThis = init.getDescendantsOfKind(SyntaxKind.ThisKeyword).some((self) => {
    const scope = self.getFirstAncestor(
      (a) =>
        Node.isFunctionExpression(a) ||
        Node.isFunctionDeclaration(a) ||
        Node.isMethodDeclaration(a) ||
        Node.isClassDeclaration(a) ||
        Node.isClassExpression(a),
    );
    return scope === undefined || scope === init || scope.getStart() < init.getStart();
  });
  if (ownThis) return `its handler ${arg.getText()} uses this`;
  const nameNode = property.getNameNode();
  const others = (Node.isIdentifier(nameNode) ? nameNode.findReferencesAsNodes() : []).filter(
    (ref) => ref !== arg.getNameNode() && ref !== nameNode,
  );
  if (others.length > 0)
    return `its handler ${arg.getText()} is also used at ${lineOf(others[0]!)}, so it cannot move into the route`;
  if (init.getParameters().some((p) => p.getInitializer() !== undefined))
    return `its handler ${arg.getText()} has default parameters`;
  const base = holder.getName().replace(/(?:Controller|Handlers?|Actions?)$/, '');
  const member = arg.getName();
  return {
    handler: init,
    declaration: property,
    name: base === '' ? member : `${base}${member[0]!.toUpperCase()}${member.slice(1)}`,
  };
}

// The function a handler argument names: inline, declared in this file, imported from another, or a controller's property.
function resolveHandler(arg: Node, site: RouteSite): ResolvedHandler | string {
  if (Node.isArrowFunction(arg) || Node.isFunctionExpression(arg))
    return { handler: arg, declaration: undefined, name: Node.isFunctionExpression(arg) ? arg.getName() : undefined };
  if (Node.isPropertyAccessExpression(arg)) return resolveControllerHandler(arg);
  if (!Node.isIdentifier(arg))
    return `its handler ${arg.getText().slice(0, 40)} is not a function the migration can read`;
  const symbol = arg.getSymbol();
  const target = symbol?.isAlias() === true ? symbol.getAliasedSymbol() : symbol;
  const declaration = target?.getDeclarations()[0];
  let handler: Handler | undefined;
  if (Node.isFunctionDeclaration(declaration) && declaration.getBody() !== undefined) handler = declaration;
  else if (Node.isVariableDeclaration(declaration)) {
    const init = declaration.getInitializer();
    if (Node.isArrowFunction(init) || Node.isFunctionExpression(init)) handler = init;
  }
  if (handler === undefined || !(Node.isFunctionDeclaration(declaration) || Node.isVariableDeclaration(declaration)))
    return `its handler ${arg.getText()} is not a function declared in the project`;
  if (
    declaration.getSourceFile().isDeclarationFile() ||
    declaration.getSourceFile().getFilePath().includes('/node_modules/')
  )
    return `its handler ${arg.getText()} comes from a package`;
  const name = declaration.getNameNode();
  if (!Node.isIdentifier(name)) return `its handler ${arg.getText()} is not a plain function`;
  const others = name
    .findReferencesAsNodes()
    .filter(
      (ref) => ref !== arg && !Node.isImportSpecifier(ref.getParent()) && !Node.isExportSpecifier(ref.getParent()),
    );
  if (others.length > 0)
    return `its handler ${arg.getText()} is also used at ${lineOf(others[0]!)}, so it cannot move into the route`;
  if (handler.getParameters().some((p) => p.getInitializer() !== undefined))
    return `its handler ${arg.getText()} has default parameters`;
  void site;
  return {
    handler,
    declaration,
    name: Node.isFunctionDeclaration(handler) || Node.isFunctionExpression(handler) ? handler.getName() : undefined,
  };
}

/**
 * Whether each other use of the validator is one the migration takes away: the registration, its
 * `.values(req)` reads inside the handler, `validation:` of descriptions, and imports of it.
 */
function otherUse(site: RouteSite, handler: Handler, shared: Node[]): Node | undefined {
  const name = site.validator.getNameNode() as Identifier;
  const refs = name.findReferencesAsNodes();
  // The handlers of the other routes registered with it (inline, named, imported, a controller's): their reads are theirs.
  const otherHandlers = refs.flatMap((ref) => {
    const call = ref.getParent();
    if (ref === site.validatorArg || !Node.isCallExpression(call) || !call.getArguments().includes(ref)) return [];
    const resolved = resolveHandler(call.getArguments().at(-1)!, site);
    return typeof resolved === 'string' ? [] : [resolved.handler];
  });
  for (const ref of refs) {
    if (ref === name || ref === site.validatorArg) continue;
    const parent = ref.getParent();
    // Another route registered with it: the schemas are shared, each route is declared on its own.
    if (
      Node.isCallExpression(parent) &&
      parent.getArguments().includes(ref) &&
      Node.isPropertyAccessExpression(parent.getExpression()) &&
      ['get', 'post', 'put', 'patch', 'delete'].includes(
        parent.getExpression().asKindOrThrow(SyntaxKind.PropertyAccessExpression).getName(),
      )
    ) {
      shared.push(ref);
      continue;
    }
    if (
      Node.isPropertyAccessExpression(parent) &&
      parent.getName() === 'values' &&
      Node.isCallExpression(parent.getParent()) &&
      otherHandlers.some((other) => other !== handler && ref.getFirstAncestor((a) => a === other) !== undefined)
    )
      continue;
    if (Node.isImportSpecifier(parent) || Node.isExportSpecifier(parent)) continue;
    if (Node.isPropertyAssignment(parent) && parent.getName() === 'validation' && parent.getInitializer() === ref)
      continue;
    if (
      Node.isPropertyAccessExpression(parent) &&
      parent.getName() === 'values' &&
      ref.getSourceFile() === handler.getSourceFile() &&
      ref.getStart() >= handler.getStart() &&
      ref.getEnd() <= handler.getEnd()
    )
      continue;
    return ref;
  }
  return undefined;
}

function descriptionOf(site: RouteSite): Description | string | undefined {
  const name = site.validator.getNameNode() as Identifier;
  let found = name.findReferencesAsNodes().filter((ref) => {
    const parent = ref.getParent();
    return Node.isPropertyAssignment(parent) && parent.getName() === 'validation' && parent.getInitializer() === ref;
  });
  // A validator shared by routes: the description of this one says its method and path.
  if (found.length > 1) {
    found = found.filter((ref) => {
      const read = readDescription(ref.getParentOrThrow().asKindOrThrow(SyntaxKind.PropertyAssignment));
      return (
        typeof read !== 'string' &&
        read.method === site.method &&
        site.path !== undefined &&
        read.path.replace(/\/$/, '').endsWith(site.path.replace(/\/$/, ''))
      );
    });
  }
  if (found.length > 1) return `${name.getText()} is described by ${found.length} RouteDescriptions`;
  if (found.length === 0) return undefined;
  return readDescription(found[0]!.getParentOrThrow().asKindOrThrow(SyntaxKind.PropertyAssignment));
}

// The `joi.object` call at the root of a schema chain (`joi.object({...}).unknown(false)`), when it is one.
function objectCall(schema: Node, joi: string): Node | undefined {
  let node: Node | undefined = schema;
  while (Node.isCallExpression(node)) {
    const callee = node.getExpression();
    if (
      Node.isPropertyAccessExpression(callee) &&
      callee.getName() === 'object' &&
      callee.getExpression().getText() === joi
    )
      return node;
    node = Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined;
  }
  return undefined;
}

function isUntyped(schema: Node): boolean {
  const type = schema.getType();
  return type.getTypeArguments()[0]?.isAny() !== false;
}

/** Inserts `<type, true>` (or `<type>`) after `joi.object` in a schema's text. */
export function typedSchemaText(schema: Node, joi: string, type: string, strict: boolean): string | undefined {
  const call = objectCall(schema, joi);
  if (!Node.isCallExpression(call) || call.getTypeArguments().length > 0) return undefined;
  const at = call.getExpression().getEnd();
  return applyEdits(
    schema.getText(),
    [{ start: at, end: at, text: `<${type}${strict ? ', true' : ''}>` }],
    schema.getStart(),
  );
}

function responsesFromReplies(
  rewritten: RewrittenHandler,
  javascript: boolean,
  joi: string,
  quote: string,
  types: Node[],
): string {
  const byStatus = new Map<number, { schema: string | undefined; headers: Set<string> }>();
  for (const reply of rewritten.replies.flatMap((r) =>
    r.otherwise === undefined ? [r] : [r, { ...r, status: r.otherwise.status }],
  )) {
    const entry = byStatus.get(reply.status) ?? { schema: undefined, headers: new Set<string>() };
    if (entry.schema === undefined && reply.body !== undefined && !javascript) {
      const schema = responseSchema(reply.body.getType(), reply.body, joi);
      if (schema === null)
        throw new Error(
          `the body of its ${reply.status} reply has a type the migration cannot describe (${reply.body.getType().getText(reply.body)})`,
        );
      entry.schema = schema;
      types.push(...namedTypes(reply.body.getType()));
    }
    for (const [header] of reply.headers) entry.headers.add(header);
    byStatus.set(reply.status, entry);
  }
  const entries = [...byStatus]
    .sort(([a], [b]) => a - b)
    .map(([status, { schema, headers }]) => {
      const fields = [`description: ${literal(STATUS_CODES[status] ?? String(status), quote)}`];
      if (schema !== undefined) fields.push(`schema: ${schema}`);
      if (headers.size > 0)
        fields.push(
          `headers: { ${[...headers].map((h) => `${propertyKey(h, quote)}: { description: ${literal(`The ${h} header.`, quote)} }`).join(', ')} }`,
        );
      return `${status}: { ${fields.join(', ')} }`;
    });
  return `{ ${entries.join(', ')} }`;
}

/** What planning a route needs from the run. */
export interface PlanContext {
  readonly javascript: boolean;
  readonly joi: string;
  readonly quote: string;
  /** The route's absolute path, as the router's mount and the registration say (undefined when unknown). */
  readonly absolutePath: string | undefined;
}

/**
 * Reads one route registered with `validate()` and decides whether it can be declared without
 * changing what it answers or what the document says of it; answers the plan, or the reason it
 * is left as it is.
 *
 * @example
 * const plan = planRoute(site, { javascript: false, joi: 'joi', quote: "'", absolutePath: '/api/v1/orders' });
 */
export function planRoute(site: RouteSite, context: PlanContext): RoutePlan | string {
  const { validator } = site;
  const name = validator.getNameNode();
  if (!Node.isIdentifier(name)) return 'validate() is assigned to a destructuring pattern';
  const statement = validator.getVariableStatement();
  if (statement === undefined || statement.getDeclarations().length !== 1)
    return `${name.getText()} is declared together with other variables`;
  // A module of validators: each stays there as the route's request, the route is declared beside its registration.
  const external = validator.getSourceFile() !== site.file;
  if (external && (!Node.isIdentifier(site.validatorArg) || !statement.isExported()))
    return `${name.getText()} is declared in another module (${lineOf(validator)}) without being exported`;
  if (site.path === undefined) return 'the route path is not a string literal';
  if (!ROUTE_PATH.test(site.path)) return `the route path ${site.path} is not made of literal segments and :params`;
  if (site.router === undefined) return 'the route is not registered on a router held in a variable';
  const args = site.args;
  const index = args.indexOf(site.validatorArg);
  if (index !== args.length - 2)
    return args.length - 1 === index
      ? 'the route has no handler after validate()'
      : `the route has middleware after validate() (${args
          .slice(index + 1, -1)
          .map((a) => a.getText().slice(0, 30))
          .join(', ')}): a declared route runs its middleware before validation, so the order would change`;
  if (args.slice(0, index).some((arg) => Node.isSpreadElement(arg)))
    return 'the route spreads its middleware from an array';
  const before = args.slice(0, index);
  const authAt = before.findIndex((arg) => readAuth(arg) !== undefined);
  if (authAt > 0)
    return `the route runs ${before
      .slice(0, authAt)
      .map((a) => a.getText().slice(0, 30))
      .join(', ')} before authentication: a declared route authenticates first`;
  if (before.filter((arg) => readAuth(arg) !== undefined).length > 1) return 'the route authenticates twice';
  const authRead = authAt === 0 ? readAuth(before[0]!) : undefined;
  const middleware = authAt === 0 ? before.slice(1) : before;
  const resolved = resolveHandler(args.at(-1)!, site);
  if (typeof resolved === 'string') return resolved;
  const sharedWith: Node[] = [];
  const other = otherUse(site, resolved.handler, sharedWith);
  if (other !== undefined)
    return `${name.getText()} is also used at ${lineOf(other)} (${other.getParentOrThrow().getText().slice(0, 40)})`;
  const parts = partsOf(validator);
  if (typeof parts === 'string') return parts;
  const description = descriptionOf(site);
  if (typeof description === 'string') return description;
  if (description !== undefined) {
    if (description.method !== site.method)
      return `its RouteDescription says ${description.method}, the route is ${site.method}`;
    if (
      context.absolutePath !== undefined &&
      description.path.replace(/\/$/, '') !== context.absolutePath.replace(/\/$/, '')
    )
      return `its RouteDescription's path ${description.path} is not where the route answers (${context.absolutePath})`;
  }
  const rewritten = rewriteHandler({
    handler: resolved.handler,
    validator: name.getText(),
    parts: [...parts.keys()],
    auth: authRead !== undefined,
  });
  if (typeof rewritten === 'string') return rewritten;

  const partTypes = new Map<Part, string>();
  const typedSchemas: { at: Node; type: string }[] = [];
  if (!context.javascript) {
    for (const [part, schema] of parts) {
      const type = schema.getType();
      if (type.getSymbol()?.getName() !== 'ObjectSchema')
        return `the ${part} schema is not a ${context.joi}.object() schema`;
      if (!isUntyped(schema)) continue;
      const derived = joiValueType(schema);
      const cast = rewritten.castTypes.get(part);
      const chosen = derived ?? cast;
      if (chosen === undefined)
        return `the ${part} schema has no value type and the migration cannot read one from it: declare it as ${context.joi}.object<Shape, true>({ ... })`;
      if (Node.isIdentifier(schema)) {
        const init = schema.getSymbol()?.getDeclarations()[0];
        if (!Node.isVariableDeclaration(init) || objectCall(init.getInitializerOrThrow(), context.joi) === undefined)
          return `the ${part} schema ${schema.getText()} has no value type`;
        typedSchemas.push({ at: objectCall(init.getInitializerOrThrow(), context.joi)!, type: chosen });
      } else if (objectCall(schema, context.joi) === undefined) return `the ${part} schema has no value type`;
      partTypes.set(part, chosen);
    }
  }
  let responses: string;
  // The project's types the responses are written with, to import where the declaration lands.
  const replyTypes: Node[] = [];
  if (description !== undefined) {
    responses = description.responses;
  } else {
    try {
      responses = responsesFromReplies(rewritten, context.javascript, context.joi, context.quote, replyTypes);
    } catch (error) {
      return (error as Error).message;
    }
  }
  // Untyped response schemas of the description get their type from the joi they are written in.
  if (description !== undefined && !context.javascript) {
    const responsesNode = description.element.getProperty('responses');
    const written = Node.isPropertyAssignment(responsesNode) ? responsesNode.getInitializer() : undefined;
    const edits: Edit[] = [];
    for (const schema of written
      ?.getDescendants()
      .filter((n) => Node.isPropertyAssignment(n) && n.getName() === 'schema') ?? []) {
      const value = (schema as Node & { getInitializer(): Node | undefined }).getInitializer();
      if (value === undefined || !isUntyped(value)) continue;
      const type = joiValueType(value);
      if (type === undefined)
        return `its RouteDescription's response schema ${value.getText().slice(0, 40)} has no value type the migration can read`;
      if (Node.isIdentifier(value)) {
        const init =
          value.getSymbol()?.isAlias() === true
            ? value.getSymbol()!.getAliasedSymbol()?.getDeclarations()[0]
            : value.getSymbol()?.getDeclarations()[0];
        const at = Node.isVariableDeclaration(init) ? objectCall(init.getInitializerOrThrow(), context.joi) : undefined;
        if (at === undefined) return `its RouteDescription's response schema ${value.getText()} has no value type`;
        typedSchemas.push({ at, type });
      } else {
        const call = objectCall(value, context.joi);
        if (!Node.isCallExpression(call) || call.getTypeArguments().length > 0)
          return `its RouteDescription's response schema ${value.getText().slice(0, 40)} has no value type`;
        edits.push({
          start: call.getExpression().getEnd(),
          end: call.getExpression().getEnd(),
          text: `<${type}, true>`,
        });
      }
    }
    if (edits.length > 0 && written !== undefined) {
      // The description's own responses text keeps its fields; only the schemas gained a type.
      responses = rebuildResponses(description.responses, written, edits);
    }
  }

  // Names the declaration brings from elsewhere: the handler's file (when it moves), the description's.
  const imports: FreeName[] = [];
  if (resolved.declaration !== undefined && resolved.handler.getSourceFile() !== site.file)
    imports.push(...freeNames(resolved.handler));
  for (const declaration of replyTypes) {
    const typeName = (declaration as Node & { getName(): string | undefined }).getName();
    if (
      typeName !== undefined &&
      declaration.getSourceFile() !== site.file &&
      !imports.some((free) => free.name === typeName)
    )
      imports.push({ name: typeName, importFrom: undefined, declaration });
  }
  if (description !== undefined && description.element.getSourceFile() !== site.file) {
    const responsesNode = description.element.getProperty('responses');
    if (responsesNode !== undefined) imports.push(...freeNames(responsesNode));
  }
  const handlerName = resolved.name;
  const shared = sharedWith.length > 0 || external;
  const routeName =
    shared || Node.isPropertyAssignment(resolved.declaration) || Node.isMethodDeclaration(resolved.declaration)
      ? (handlerName ??
        `${site.method}${(site.path ?? '')
          .split(/[^A-Za-z0-9]+/)
          .filter((w) => w !== '')
          .map((w) => w[0]!.toUpperCase() + w.slice(1))
          .join('')}`)
      : name.getText();
  const operationId = description?.operationId ?? literal(handlerName ?? routeName, context.quote);
  const summary =
    description?.summary ??
    literal(
      jsDocSummary(resolved.handler, site) ?? `${site.method.toUpperCase()} ${context.absolutePath ?? site.path}`,
      context.quote,
    );
  return {
    site,
    name: routeName,
    shared,
    ...(external ? { placement: 'module' as const } : shared ? { placement: 'registration' as const } : {}),
    description,
    auth: authRead?.auth,
    authObject: authRead?.object,
    middleware,
    handler: resolved.handler,
    handlerDeclaration: resolved.declaration,
    rewritten,
    parts,
    partTypes,
    responses,
    summary,
    operationId,
    imports,
    typedSchemas,
  };
}

// The description's responses, in the declared form, with the untyped inline schemas typed.
function rebuildResponses(declared: string, written: Node, edits: readonly Edit[]): string {
  let out = declared;
  for (const edit of edits) {
    // The schema text as written, and as typed: swap the first occurrence in the declared form.
    const call = written
      .getDescendants()
      .find((n) => Node.isCallExpression(n) && n.getExpression().getEnd() === edit.start);
    if (call === undefined) continue;
    const original = call.getText();
    const typed = applyEdits(original, [edit], call.getStart());
    out = out.replace(original, typed);
  }
  return out;
}

function jsDocSummary(handler: Handler, site: RouteSite): string | undefined {
  const holder = Node.isFunctionDeclaration(handler) ? handler : undefined;
  const docs = holder?.getJsDocs() ?? (Node.isJSDocable(site.statement) ? site.statement.getJsDocs() : []);
  const text = docs[0]?.getDescription().trim().split('\n')[0]?.trim();
  if (text === undefined || text === '') return undefined;
  return text.replace(/\.$/, '');
}

/** Whether every name a piece of the declaration uses is visible at a position of the route's file. */
export function namesVisible(code: Node, file: SourceFile, position: number): string | undefined {
  if (code.getSourceFile() !== file) return undefined;
  for (const free of freeNames(code)) {
    if (free.declaration !== undefined && !visibleAt(free.declaration, position)) return free.name;
  }
  return undefined;
}
