import { STATUS_CODES } from 'node:http';
import { Node, SyntaxKind, VariableDeclarationKind, type Expression, type Identifier, type SourceFile, type VariableDeclaration } from 'ts-morph';
import { readDescription, type Description } from './description.js';
import { PARTS, rewriteHandler, type Part, type RewrittenHandler } from './handler.js';
import { ensureImports } from './imports.js';
import { mountPrefix } from './mount.js';
import { platformImports, referencesInFile } from './platform-symbols.js';
import { readRegistration, splitPath, type Registration } from './registration.js';
import { responseSchema } from './schema-from-type.js';
import { applyEdits, indentOf, indentUnit, literal, propertyKey, quoteOf, reindent, type Edit } from './text.js';

const BASE_PATH = /^(?:\/[A-Za-z0-9._~-]+)+$/;

/** The route a `validate()` declaration guards, read and checked, ready to be written. */
interface Plan {
  readonly registration: Registration;
  readonly description: Description | undefined;
  readonly basePath: string;
  readonly mount: string;
  readonly routePath: string;
}

function lineOf(node: Node): number {
  return node.getStartLineNumber();
}

function partsOf(declaration: VariableDeclaration): Map<Part, Expression> | string {
  const call = declaration.getInitializerIfKindOrThrow(SyntaxKind.CallExpression);
  const [options, ...rest] = call.getArguments();
  if (!Node.isObjectLiteralExpression(options) || rest.length > 0) return 'validate() is not called with { params, query, body } written out';
  const parts = new Map<Part, Expression>();
  for (const property of options.getProperties()) {
    const name = Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property) ? property.getName() : undefined;
    if (name === undefined || !(PARTS as string[]).includes(name)) return `validate() has ${property.getText().slice(0, 40)}, not only params, query and body`;
    parts.set(name as Part, Node.isPropertyAssignment(property) ? property.getInitializerOrThrow() : property.asKindOrThrow(SyntaxKind.ShorthandPropertyAssignment).getNameNode());
  }
  return parts;
}

function plan(name: Identifier, references: readonly Node[]): Plan | string {
  const registrations = references.filter((ref) => Node.isCallExpression(ref.getParent()) && (ref.getParent() as Node & { getArguments(): Node[] }).getArguments().includes(ref));
  const validations = references.filter((ref) => Node.isPropertyAssignment(ref.getParent()) && ref.getParentOrThrow().asKindOrThrow(SyntaxKind.PropertyAssignment).getName() === 'validation');
  const reads = references.filter((ref) => {
    const parent = ref.getParent();
    return Node.isPropertyAccessExpression(parent) && parent.getName() === 'values' && Node.isCallExpression(parent.getParent());
  });
  const other = references.find((ref) => !registrations.includes(ref) && !validations.includes(ref) && !reads.includes(ref));
  if (other !== undefined) return `${name.getText()} is also used on line ${lineOf(other)} (${other.getParentOrThrow().getText().slice(0, 40)})`;
  if (registrations.length !== 1) return `${name.getText()} guards ${registrations.length} routes, not one`;
  if (validations.length > 1) return `${name.getText()} is described by ${validations.length} RouteDescriptions`;
  const registration = readRegistration(registrations[0] as Identifier);
  if (typeof registration === 'string') return registration;
  if (reads.some((read) => !(read.getStart() >= registration.handler.getStart() && read.getEnd() <= registration.handler.getEnd()))) return `${name.getText()}.values() is read outside its route's handler`;
  let description: Description | undefined;
  if (validations[0] !== undefined) {
    const read = readDescription(validations[0].getParentOrThrow().asKindOrThrow(SyntaxKind.PropertyAssignment));
    if (typeof read === 'string') return read;
    if (read.method !== registration.method) return `its RouteDescription says ${read.method}, the route is ${registration.method}`;
    description = read;
  }
  const { mount, route } = splitPath(registration.path);
  // The group's base path is the route's absolute path, as the document shows it: the router's
  // mount point (when the file mounts it in one place) or what its RouteDescription says.
  const registered = registration.path === '/' ? '' : registration.path.replace(/\/$/, '');
  const prefix = mountPrefix(registration.receiver);
  let documented: string | undefined;
  if (description !== undefined) {
    const path = description.path.replace(/\/$/, '');
    if (!path.endsWith(registered)) return `its RouteDescription's path ${description.path} does not end with the registered path ${registration.path}`;
    documented = path.slice(0, path.length - registered.length);
    if (prefix !== undefined && prefix !== documented) return `its router is mounted at ${prefix || '/'}, its RouteDescription says ${documented || '/'}`;
  }
  const at = prefix ?? documented;
  if (at === undefined) return `cannot tell where its router is mounted (${registration.receiver.getText().split('\n')[0]!.slice(0, 40)}: mount it in this file with app.use('/path', router) or createServiceApp({ routes }))`;
  const basePath = at + mount;
  if (!BASE_PATH.test(basePath)) return `its route ${registration.path} is at the root of its router's mount point (${at || '/'}): a route group needs a base path below it`;
  return { registration, description, basePath, mount, routePath: route };
}

function uniqueName(file: SourceFile, wanted: string): string {
  const text = file.getFullText();
  for (let n = 1; ; n += 1) {
    const candidate = n === 1 ? wanted : `${wanted}${n}`;
    if (!new RegExp(`\\b${candidate}\\b`).test(text)) return candidate;
  }
}

function joiName(file: SourceFile): string {
  for (const declaration of platformImports(file)) {
    const specifier = declaration.getNamedImports().find((s) => s.getName() === 'joi');
    if (specifier !== undefined) return specifier.getAliasNode()?.getText() ?? 'joi';
  }
  return 'joi';
}

function requestText(parts: Map<Part, Expression>, castTypes: ReadonlyMap<Part, string>, javascript: boolean, joi: string): string {
  const entries: string[] = [];
  for (const [part, schema] of parts) {
    let text = schema.getText();
    if (!javascript) {
      const type = schema.getType();
      if (type.getSymbol()?.getName() !== 'ObjectSchema') throw new Error(`the ${part} schema is not a ${joi}.object() schema`);
      if (type.getTypeArguments()[0]?.isAny() !== false) {
        const cast = castTypes.get(part);
        // The old handler cast the values; that type now types the schema (an untyped one would not compile).
        let object: Node | undefined = schema;
        while (Node.isCallExpression(object) && !(Node.isPropertyAccessExpression(object.getExpression()) && object.getExpression().getText() === `${joi}.object`)) {
          const callee = object.getExpression();
          object = Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined;
        }
        if (cast === undefined || !Node.isCallExpression(object) || object.getTypeArguments().length > 0) throw new Error(`the ${part} schema has no value type: declare it as ${joi}.object<Shape>({ ... })`);
        const at = object.getExpression().getEnd();
        text = applyEdits(text, [{ start: at, end: at, text: `<${cast}>` }], schema.getStart());
      }
    }
    entries.push(`${part}: ${text}`);
  }
  return `{ ${entries.join(', ')} }`;
}

function responsesFromReplies(replies: RewrittenHandler, javascript: boolean, joi: string, quote: string): string {
  const byStatus = new Map<number, { schema: string | undefined; headers: Set<string> }>();
  for (const reply of replies.replies) {
    const entry = byStatus.get(reply.status) ?? { schema: undefined, headers: new Set<string>() };
    if (entry.schema === undefined && reply.body !== undefined && !javascript) {
      const schema = responseSchema(reply.body.getType(), reply.body, joi);
      if (schema === null) throw new Error(`the body of its ${reply.status} reply has a type the migration cannot describe (${reply.body.getType().getText(reply.body)})`);
      entry.schema = schema;
    }
    for (const [header] of reply.headers) entry.headers.add(header);
    byStatus.set(reply.status, entry);
  }
  const entries = [...byStatus].sort(([a], [b]) => a - b).map(([status, { schema, headers }]) => {
    const fields = [`description: ${literal(STATUS_CODES[status] ?? String(status), quote)}`];
    if (schema !== undefined) fields.push(`schema: ${schema}`);
    if (headers.size > 0) fields.push(`headers: { ${[...headers].map((h) => `${propertyKey(h, quote)}: { description: ${literal(`The ${h} header.`, quote)} }`).join(', ')} }`);
    return `${status}: { ${fields.join(', ')} }`;
  });
  return `{ ${entries.join(', ')} }`;
}

/**
 * Rewrites one `validate()` declaration and its route into the one-declaration form, in the file's
 * text: `const x = validate({...})` becomes `const x = defineRoute({...})` (method, path, auth,
 * request schemas, responses, the rewritten handler), a `createRouteGroup` is declared before the
 * registration, the registration mounts the group's router at the same path on the same router
 * (so every URL answers as before), and its `RouteDescription`, if any, moves into the
 * declaration with the group passed as `routeGroups`. Answers the reason when it cannot do so safely.
 *
 * @example
 * const outcome = convertRoute(file, declaration, { javascript: false });
 */
export function convertRoute(file: SourceFile, declaration: VariableDeclaration, options: { javascript: boolean }): true | string {
  const nameNode = declaration.getNameNode();
  if (!Node.isIdentifier(nameNode)) return 'validate() is assigned to a destructuring pattern';
  const statement = declaration.getVariableStatement();
  if (statement === undefined || statement.hasExportKeyword() || statement.getDeclarationKind() !== VariableDeclarationKind.Const) return `${nameNode.getText()} is exported or not a const`;
  const name = nameNode.getText();
  const references = referencesInFile(nameNode);
  const parts = partsOf(declaration);
  if (typeof parts === 'string') return parts;
  const planned = plan(nameNode, references);
  if (typeof planned === 'string') return planned;
  const { registration, description, basePath, mount, routePath } = planned;
  const rewritten = rewriteHandler({ handler: registration.handler, validator: name, parts: [...parts.keys()], auth: registration.auth !== undefined });
  if (typeof rewritten === 'string') return rewritten;

  const registrationStatement = registration.call.getFirstAncestor((node) => Node.isStatement(node) && (Node.isBlock(node.getParent()) || Node.isSourceFile(node.getParent())));
  if (registrationStatement === undefined) return 'the route is not registered in a statement of a block';
  const scope = statement.getParentOrThrow();
  if (statement.getEnd() > registrationStatement.getStart() || !(registrationStatement.getParent() === scope || registrationStatement.getFirstAncestor((node) => node === scope) !== undefined)) return `${name} is not declared before its route, in the same scope`;
  if (description !== undefined && description.options.getStart() < registrationStatement.getEnd()) return 'createOpenApiDocument() runs before the route is registered';

  const quote = quoteOf(file);
  const joi = joiName(file);
  const unit = indentUnit(file);
  const indent = indentOf(statement);
  const inner = indent + unit;
  let request: string;
  let responses: string;
  try {
    request = requestText(parts, rewritten.castTypes, options.javascript, joi);
    responses = description?.responses ?? responsesFromReplies(rewritten, options.javascript, joi, quote);
  } catch (error) {
    return (error as Error).message;
  }
  const handlerName = Node.isFunctionExpression(registration.handler) ? registration.handler.getName() : undefined;
  const fields = [
    `method: ${literal(registration.method, quote)}`,
    `path: ${literal(routePath, quote)}`,
    `operationId: ${description?.operationId ?? literal(handlerName ?? name, quote)}`,
    `summary: ${description?.summary ?? literal(`${registration.method.toUpperCase()} ${basePath}${routePath === '/' ? '' : routePath}`, quote)}`,
    ...(registration.auth === undefined ? [] : [`auth: ${registration.auth}`]),
    `request: ${request}`,
    `responses: ${responses}`,
    ...(description === undefined || description.errors.length === 0 ? [] : [`errors: [${description.errors.map((code) => literal(code, quote)).join(', ')}]`]),
    `handler: ${reindent(rewritten.text, indentOf(registration.handler), inner)}`,
  ];
  const defineRouteText = `defineRoute({\n${fields.map((field) => `${inner}${field},`).join('\n')}\n${indent}})`;
  const declare: Edit = { start: declaration.getInitializerOrThrow().getStart(), end: declaration.getInitializerOrThrow().getEnd(), text: defineRouteText };
  const joined = joinGroup(registrationStatement, registration, { basePath, mount, documented: description !== undefined });
  if (joined !== undefined) {
    file.replaceWithText(applyEdits(file.getFullText(), [declare, ...joined(name), ...(description === undefined ? [] : descriptionEdits(description, undefined))]));
    ensureImports(file, { add: ['defineRoute', ...(responses.includes(`${joi}.`) && joi === 'joi' ? ['joi'] : [])] });
    return true;
  }
  const group = uniqueName(file, `${name}Routes`);
  const groupOptions = [
    `basePath: ${literal(basePath, quote)}`,
    ...(registration.authObject === undefined ? [] : [registration.authObject === 'auth' ? 'auth' : `auth: ${registration.authObject}`]),
    `routes: [${name}]`,
    ...(description?.tag === undefined ? [] : [`tag: { name: ${literal(description.tag, quote)}, description: ${literal(description.tag, quote)} }`]),
  ];
  const edits: Edit[] = [
    declare,
    { start: registrationStatement.getStart(), end: registrationStatement.getStart(), text: `const ${group} = createRouteGroup({ ${groupOptions.join(', ')} });\n${indentOf(registrationStatement)}` },
    // From the method's name on: the receiver (a chain, its line breaks) stays as written.
    { start: registration.methodName.getStart(), end: registration.call.getEnd(), text: `use(${mount === '' ? '' : `${literal(mount, quote)}, `}${group}.router)` },
  ];
  if (description !== undefined) edits.push(...descriptionEdits(description, group));
  file.replaceWithText(applyEdits(file.getFullText(), edits));
  ensureImports(file, { add: ['createRouteGroup', 'defineRoute', ...(responses.includes(`${joi}.`) && joi === 'joi' ? ['joi'] : [])] });
  return true;
}

/**
 * When the statements right before the registration are a group this migration made on the same
 * router, at the same base path, with the same auth, documented or not alike, and the registration
 * is a statement of its own: the route joins that group (one group per router, as a person would
 * write it) instead of getting its own. Answers the edits, given the route's variable.
 */
function joinGroup(statement: Node, registration: Registration, at: { basePath: string; mount: string; documented: boolean }): ((route: string) => Edit[]) | undefined {
  if (!Node.isExpressionStatement(statement) || statement.getExpression() !== registration.call) return undefined;
  const mountStatement = statement.getPreviousSibling();
  const groupStatement = mountStatement?.getPreviousSibling();
  if (!Node.isExpressionStatement(mountStatement) || !Node.isVariableStatement(groupStatement)) return undefined;
  const [groupDeclaration] = groupStatement.getDeclarations();
  const call = groupDeclaration?.getInitializer();
  if (groupDeclaration === undefined || !Node.isCallExpression(call) || call.getExpression().getText() !== 'createRouteGroup') return undefined;
  const group = groupDeclaration.getName();
  const mountArgs = at.mount === '' ? `${group}.router` : `${literal(at.mount, quoteOf(statement.getSourceFile()))}, ${group}.router`;
  if (mountStatement.getText().replace(/\s+/g, '') !== `${registration.receiver.getText()}.use(${mountArgs});`.replace(/\s+/g, '')) return undefined;
  const options = call.getArguments()[0];
  if (!Node.isObjectLiteralExpression(options)) return undefined;
  const basePath = options.getProperty('basePath');
  const auth = options.getProperty('auth');
  const routes = options.getProperty('routes');
  const authText = auth === undefined ? undefined : Node.isShorthandPropertyAssignment(auth) ? 'auth' : Node.isPropertyAssignment(auth) ? auth.getInitializerOrThrow().getText() : '?';
  if (!Node.isPropertyAssignment(basePath) || basePath.getInitializer()?.getText().slice(1, -1) !== at.basePath || authText !== registration.authObject) return undefined;
  if (!Node.isPropertyAssignment(routes) || !Node.isArrayLiteralExpression(routes.getInitializer())) return undefined;
  const documented = new RegExp(`routeGroups:[^\\]]*\\b${group}\\b`).test(statement.getSourceFile().getFullText());
  if (documented !== at.documented) return undefined;
  const list = routes.getInitializerOrThrow().asKindOrThrow(SyntaxKind.ArrayLiteralExpression);
  const text = statement.getSourceFile().getFullText();
  const lineStart = text.lastIndexOf('\n', statement.getStart() - 1) + 1;
  const lineEnd = text.indexOf('\n', statement.getEnd());
  return (route) => [
    { start: list.getEnd() - 1, end: list.getEnd() - 1, text: `, ${route}` },
    // Only the registration's own lines go; comments above it stay where they are.
    { start: lineStart, end: lineEnd === -1 ? statement.getEnd() : lineEnd + 1, text: '' },
  ];
}

// The description leaves the routes array (the array, when it was the last one) and its group joins
// routeGroups (unless it is there already: a route that joined a documented group).
function descriptionEdits(description: Description, group: string | undefined): Edit[] {
  const { element, array, options } = description;
  const elements = array.getElements();
  const index = elements.indexOf(element);
  const routeGroups = options.getProperty('routeGroups');
  const groups = Node.isPropertyAssignment(routeGroups) ? routeGroups.getInitializer() : undefined;
  const edits: Edit[] = [];
  if (elements.length === 1) {
    const routes = array.getParentOrThrow();
    if (groups === undefined && group !== undefined) return [{ start: routes.getStart(), end: routes.getEnd(), text: `routeGroups: [${group}]` }];
    const text = options.getSourceFile().getFullText();
    let end = routes.getEnd();
    while (/[\s,]/.test(text[end] ?? '')) end += 1;
    edits.push({ start: routes.getStart(), end, text: '' });
  } else if (index < elements.length - 1) edits.push({ start: element.getStart(), end: elements[index + 1]!.getStart(), text: '' });
  else edits.push({ start: elements[index - 1]!.getEnd(), end: element.getEnd(), text: '' });
  if (group === undefined) return edits;
  if (groups === undefined) {
    const routes = array.getParentOrThrow();
    edits.push({ start: routes.getStart(), end: routes.getStart(), text: `routeGroups: [${group}], ` });
  } else if (Node.isArrayLiteralExpression(groups)) {
    const last = groups.getElements().at(-1);
    edits.push(last === undefined ? { start: groups.getStart() + 1, end: groups.getStart() + 1, text: group } : { start: last.getEnd(), end: last.getEnd(), text: `, ${group}` });
  } else {
    edits.push({ start: groups.getStart(), end: groups.getEnd(), text: `[...${groups.getText()}, ${group}]` });
  }
  return edits;
}
