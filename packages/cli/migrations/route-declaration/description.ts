import { Node, type ArrayLiteralExpression, type ObjectLiteralExpression, type PropertyAssignment } from 'ts-morph';
import { isPlatformExport } from '../../src/codemod/platform-symbols.js';

/** A `RouteDescription` of the route, found in `createOpenApiDocument({ routes: [ … ] })`. */
export interface Description {
  readonly element: ObjectLiteralExpression;
  readonly array: ArrayLiteralExpression;
  /** `createOpenApiDocument`'s options object, when the description is written in it. */
  readonly options: ObjectLiteralExpression | undefined;
  readonly method: string;
  readonly path: string;
  /** Source texts, as written. */
  readonly summary: string | undefined;
  readonly operationId: string;
  readonly tag: string | undefined;
  /** The `responses` in the declared route's form, as source text. */
  readonly responses: string;
  /** Error codes named at the start of the described errors (`ENTITY_NOT_FOUND: …`). */
  readonly errors: readonly string[];
  /** Whether it says `auth: true`. */
  readonly auth: boolean;
}

const CODE = /^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*):/;

function property(object: ObjectLiteralExpression, name: string): Node | undefined {
  const found = object.getProperty(name);
  if (found === undefined) return undefined;
  return Node.isPropertyAssignment(found)
    ? found.getInitializerOrThrow()
    : Node.isShorthandPropertyAssignment(found)
      ? found.getNameNode()
      : found;
}

const literalText = (node: Node | undefined): string | undefined =>
  node !== undefined && (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node))
    ? node.getLiteralText()
    : undefined;

function responsesText(responses: Node | undefined): string | string[] {
  if (!Node.isObjectLiteralExpression(responses)) return ['its responses are not written out in place'];
  const entries: string[] = [];
  for (const entry of responses.getProperties()) {
    if (!Node.isPropertyAssignment(entry) || !Node.isObjectLiteralExpression(entry.getInitializer()))
      return [`response ${entry.getText().slice(0, 30)} is not written out in place`];
    const response = entry.getInitializerOrThrow() as ObjectLiteralExpression;
    const fields = [`description: ${property(response, 'description')?.getText() ?? "''"}`];
    const schema = property(response, 'schema');
    if (schema !== undefined) fields.push(`schema: ${schema.getText()}`);
    const headers = property(response, 'headers');
    if (headers !== undefined) {
      if (!Node.isObjectLiteralExpression(headers)) return ['its response headers are not written out in place'];
      const list = headers
        .getProperties()
        .map((header) =>
          Node.isPropertyAssignment(header)
            ? `${header.getNameNode().getText()}: { description: ${header.getInitializerOrThrow().getText()} }`
            : null,
        );
      if (list.includes(null)) return ['its response headers are not written out in place'];
      fields.push(`headers: { ${list.join(', ')} }`);
    }
    entries.push(`${entry.getNameNode().getText()}: { ${fields.join(', ')} }`);
  }
  return `{ ${entries.join(', ')} }`;
}

function defaultOperationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter((w) => w !== '' && w !== 'api' && !/^v\d+$/.test(w));
  return [method, ...words].map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

/**
 * Reads the `RouteDescription` that documents a route through `validation: <validator>`: method,
 * path, summary, operation id (the document's default when it has none), tag, responses (in the
 * declared route's form) and error codes. It may sit in `createOpenApiDocument({ routes: [ … ] })`
 * or in an array of descriptions declared on its own (`const orderDocs: RouteDescription[] = [ … ]`).
 * Answers the reason when it cannot be read.
 *
 * @example
 * const description = readDescription(validationProperty);
 */
export function readDescription(validation: PropertyAssignment): Description | string {
  const element = validation.getParent();
  const array = element.getParent();
  if (!Node.isObjectLiteralExpression(element) || !Node.isArrayLiteralExpression(array))
    return 'its RouteDescription is not an object in an array of descriptions';
  const routes = array.getParent();
  const options = routes?.getParent();
  const call = options?.getParent();
  const inDocument =
    Node.isPropertyAssignment(routes) &&
    routes.getName() === 'routes' &&
    Node.isObjectLiteralExpression(options) &&
    Node.isCallExpression(call) &&
    isPlatformExport(call.getExpression(), 'createOpenApiDocument');
  if (!inDocument && !Node.isVariableDeclaration(array.getParent()))
    return 'its RouteDescription is in an array that is neither createOpenApiDocument({ routes }) nor a const';
  const method = literalText(property(element, 'method'));
  const path = literalText(property(element, 'path'));
  if (method === undefined || path === undefined)
    return 'its RouteDescription has a method or path that is not a literal';
  for (const entry of element.getProperties()) {
    if (!Node.isPropertyAssignment(entry) && !Node.isShorthandPropertyAssignment(entry))
      return `its RouteDescription has ${entry.getText().slice(0, 30)}, not plain properties`;
  }
  const tags = property(element, 'tags');
  if (
    tags !== undefined &&
    (!Node.isArrayLiteralExpression(tags) ||
      tags.getElements().length > 1 ||
      tags.getElements().some((tag) => literalText(tag) === undefined))
  )
    return 'its RouteDescription has more than one tag, or tags that are not literals (a route group has one tag)';
  const responses = responsesText(property(element, 'responses'));
  if (Array.isArray(responses)) return `its RouteDescription: ${responses[0]!}`;
  const errorsNode = property(element, 'errors');
  const errors = Node.isIdentifier(errorsNode) ? resolveConst(errorsNode) : errorsNode;
  if (errors !== undefined && !Node.isObjectLiteralExpression(errors))
    return "its RouteDescription's errors are not written out";
  const codes: string[] = [];
  for (const entry of Node.isObjectLiteralExpression(errors) ? errors.getProperties() : []) {
    const text = Node.isPropertyAssignment(entry) ? literalText(entry.getInitializer()) : undefined;
    const code = text === undefined ? undefined : CODE.exec(text)?.[1];
    if (code === undefined)
      return `its RouteDescription describes the error ${Node.isPropertyAssignment(entry) ? entry.getName() : '?'} without an error code: a declared route names its errors by code (defineErrorCodes), so say which`;
    codes.push(code);
  }
  const tag =
    Node.isArrayLiteralExpression(tags) && tags.getElements().length === 1
      ? literalText(tags.getElements()[0])
      : undefined;
  const operationId = property(element, 'operationId')?.getText() ?? `'${defaultOperationId(method, path)}'`;
  return {
    element,
    array,
    options: inDocument ? options : undefined,
    method,
    path,
    summary: property(element, 'summary')?.getText(),
    operationId,
    tag,
    responses,
    errors: codes,
    auth: property(element, 'auth')?.getText() === 'true',
  };
}

function resolveConst(identifier: Node): Node | undefined {
  const declaration = identifier.getSymbol()?.getDeclarations()[0];
  return Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
}
