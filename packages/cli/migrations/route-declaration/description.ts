import { Node, type ArrayLiteralExpression, type ObjectLiteralExpression, type PropertyAssignment } from 'ts-morph';
import { isPlatformExport } from './platform-symbols.js';

/** A `RouteDescription` of the route, found in `createOpenApiDocument({ routes: [ … ] })`. */
export interface Description {
  readonly element: ObjectLiteralExpression;
  readonly array: ArrayLiteralExpression;
  /** `createOpenApiDocument`'s options object. */
  readonly options: ObjectLiteralExpression;
  readonly method: string;
  readonly path: string;
  /** Source texts, as written. */
  readonly summary: string | undefined;
  readonly operationId: string | undefined;
  readonly tag: string | undefined;
  /** The `responses` in the declared route's form, as source text. */
  readonly responses: string;
  /** Error codes named at the start of the described errors (`ENTITY_NOT_FOUND: …`). */
  readonly errors: readonly string[];
}

const CODE = /^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*):/;

function property(object: ObjectLiteralExpression, name: string): Node | undefined {
  const found = object.getProperty(name);
  if (found === undefined) return undefined;
  return Node.isPropertyAssignment(found) ? found.getInitializerOrThrow() : Node.isShorthandPropertyAssignment(found) ? found.getNameNode() : found;
}

const literalText = (node: Node | undefined): string | undefined => (node !== undefined && (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) ? node.getLiteralText() : undefined);

function responsesText(responses: Node | undefined): string | string[] {
  if (!Node.isObjectLiteralExpression(responses)) return ['its responses are not written out in place'];
  const entries: string[] = [];
  for (const entry of responses.getProperties()) {
    if (!Node.isPropertyAssignment(entry) || !Node.isObjectLiteralExpression(entry.getInitializer())) return [`response ${entry.getText().slice(0, 30)} is not written out in place`];
    const response = entry.getInitializerOrThrow() as ObjectLiteralExpression;
    const fields = [`description: ${property(response, 'description')?.getText() ?? "''"}`];
    const schema = property(response, 'schema');
    if (schema !== undefined) fields.push(`schema: ${schema.getText()}`);
    const headers = property(response, 'headers');
    if (headers !== undefined) {
      if (!Node.isObjectLiteralExpression(headers)) return ['its response headers are not written out in place'];
      const list = headers.getProperties().map((header) => (Node.isPropertyAssignment(header) ? `${header.getNameNode().getText()}: { description: ${header.getInitializerOrThrow().getText()} }` : null));
      if (list.includes(null)) return ['its response headers are not written out in place'];
      fields.push(`headers: { ${list.join(', ')} }`);
    }
    entries.push(`${entry.getNameNode().getText()}: { ${fields.join(', ')} }`);
  }
  return `{ ${entries.join(', ')} }`;
}

/**
 * Finds the `RouteDescription` that documents a route through `validation: <validator>` and reads
 * it: method, path, summary, operation id, tag, responses (in the declared route's form) and
 * error codes. Answers the reason when it is not written out in place (a literal object in the
 * `routes` array of a `createOpenApiDocument` call).
 *
 * @example
 * const description = readDescription(validationProperty);
 */
export function readDescription(validation: PropertyAssignment): Description | string {
  const element = validation.getParent();
  const array = element.getParent();
  const routes = array?.getParent();
  const options = routes?.getParent();
  const call = options?.getParent();
  if (!Node.isObjectLiteralExpression(element) || !Node.isArrayLiteralExpression(array) || !Node.isPropertyAssignment(routes) || routes.getName() !== 'routes' || !Node.isObjectLiteralExpression(options) || !Node.isCallExpression(call) || !isPlatformExport(call.getExpression(), 'createOpenApiDocument')) {
    return 'its RouteDescription is not written out in place in createOpenApiDocument({ routes: [ … ] })';
  }
  const method = literalText(property(element, 'method'));
  const path = literalText(property(element, 'path'));
  if (method === undefined || path === undefined) return 'its RouteDescription has a method or path that is not a literal';
  const tags = property(element, 'tags');
  if (tags !== undefined && (!Node.isArrayLiteralExpression(tags) || tags.getElements().length > 1 || tags.getElements().some((tag) => literalText(tag) === undefined))) return 'its RouteDescription has more than one tag, or tags that are not literals';
  const responses = responsesText(property(element, 'responses'));
  if (Array.isArray(responses)) return `its RouteDescription: ${responses[0]!}`;
  const errors = property(element, 'errors');
  const codes = Node.isObjectLiteralExpression(errors)
    ? errors.getProperties().flatMap((entry) => {
        const text = Node.isPropertyAssignment(entry) ? literalText(entry.getInitializer()) : undefined;
        return text === undefined ? [] : [CODE.exec(text)?.[1] ?? []].flat();
      })
    : [];
  const tag = Node.isArrayLiteralExpression(tags) && tags.getElements().length === 1 ? literalText(tags.getElements()[0]) : undefined;
  return { element, array, options, method, path, summary: property(element, 'summary')?.getText(), operationId: property(element, 'operationId')?.getText(), tag, responses, errors: codes };
}
