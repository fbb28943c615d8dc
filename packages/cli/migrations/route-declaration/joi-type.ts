import { Node, type CallExpression } from 'ts-morph';

/** A joi schema's value type, read from its source: the type text and whether a value may be missing. */
interface JoiType {
  readonly text: string;
  /** `.required()`, `.exist()` or `.default(...)`: present after validation. */
  readonly present: boolean;
}

const KEY = /^[A-Za-z_$][\w$]*$/;

// The steps of a chain `joi.string().valid('a').required()`: root name first.
function steps(expression: Node): { root: Node; calls: { name: string; call: CallExpression }[] } | undefined {
  const calls: { name: string; call: CallExpression }[] = [];
  let node: Node = expression;
  while (Node.isCallExpression(node)) {
    const callee = node.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return undefined;
    calls.unshift({ name: callee.getName(), call: node });
    node = callee.getExpression();
  }
  return calls.length === 0 ? undefined : { root: node, calls };
}

// A const's initializer, when an identifier names one (in any file of the project).
function initializerOf(identifier: Node): Node | undefined {
  if (!Node.isIdentifier(identifier)) return undefined;
  const symbol = identifier.getSymbol();
  const target = symbol?.isAlias() === true ? symbol.getAliasedSymbol() : symbol;
  const declaration = target?.getDeclarations()[0];
  return Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
}

function literalText(node: Node): string | undefined {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node))
    return `'${node.getLiteralText().replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Node.isNumericLiteral(node)) return node.getText();
  if (Node.isTrueLiteral(node) || Node.isFalseLiteral(node)) return node.getText();
  if (Node.isNullLiteral(node)) return 'null';
  return undefined;
}

/**
 * The value type of a joi schema written in the source (`joi.object({ limit: joi.number().default(20) })`
 * → `{ limit: number }`), as TypeScript text, for a schema declared without one: strings, numbers,
 * booleans, dates, literals from `valid()`, `allow(null)`, arrays with `items()`, nested objects and
 * schemas held in consts. Undefined when the schema says something this cannot follow.
 *
 * @example
 * joiValueType(schemaNode); // '{ status?: "open" | "shipped"; limit: number }'
 */
export function joiValueType(expression: Node, depth = 0): string | undefined {
  return read(expression, depth)?.text;
}

function read(expression: Node, depth: number): JoiType | undefined {
  if (depth > 8) return undefined;
  if (Node.isParenthesizedExpression(expression)) return read(expression.getExpression(), depth);
  if (Node.isIdentifier(expression)) {
    const initializer = initializerOf(expression);
    return initializer === undefined ? undefined : read(initializer, depth + 1);
  }
  const chain = steps(expression);
  if (chain === undefined) return undefined;
  let [first, ...rest] = chain.calls;
  let base: string | undefined;
  let present = false;
  // A chain that continues a schema held in a const: `item.required()`.
  if (!Node.isIdentifier(chain.root) || !/^(?:joi|Joi)$/.test(chain.root.getText())) {
    const inner = read(chain.root, depth + 1);
    if (inner === undefined) return undefined;
    base = inner.text;
    present = inner.present;
    rest = chain.calls;
    first = undefined;
  }
  if (first !== undefined) {
    const args = first.call.getArguments();
    if (first.call.getTypeArguments().length > 0 && first.name !== 'object')
      base = first.call.getTypeArguments()[0]!.getText();
    else if (first.name === 'string') base = 'string';
    else if (first.name === 'number') base = 'number';
    else if (first.name === 'boolean' || first.name === 'bool') base = 'boolean';
    else if (first.name === 'date') base = 'Date';
    else if (first.name === 'any') base = 'unknown';
    else if (first.name === 'array') base = 'unknown[]';
    else if (first.name === 'valid' || first.name === 'equal') {
      const values = args.map(literalText);
      if (values.includes(undefined)) return undefined;
      base = values.join(' | ');
    } else if (first.name === 'object') {
      if (first.call.getTypeArguments().length > 0) base = first.call.getTypeArguments()[0]!.getText();
      else if (args.length === 0) base = 'Record<string, unknown>';
      else {
        const object = objectType(args[0]!, depth);
        if (object === undefined) return undefined;
        base = object;
      }
    } else return undefined;
  }
  let nullable = false;
  for (const { name, call } of rest) {
    const args = call.getArguments();
    if (name === 'required' || name === 'exist' || name === 'default') present = true;
    else if (name === 'optional') present = false;
    else if (name === 'allow') nullable ||= args.some((arg) => Node.isNullLiteral(arg));
    else if (name === 'valid' && base === 'string') {
      const values = args.map(literalText);
      if (values.includes(undefined)) return undefined;
      nullable ||= values.includes('null');
      base = values.filter((value) => value !== 'null').join(' | ');
    } else if (name === 'items' && base === 'unknown[]') {
      const items = args.map((arg) => read(arg, depth + 1)?.text);
      if (items.includes(undefined) || items.length === 0) return undefined;
      base = items.length === 1 ? `${wrap(items[0]!)}[]` : `(${items.join(' | ')})[]`;
    } else if (name === 'keys' && base !== undefined && base.startsWith('{')) {
      const more = args[0] === undefined ? undefined : objectType(args[0], depth);
      if (more === undefined) return undefined;
      base = `${base.slice(0, -2)}${base.length > 3 && more.length > 3 ? '; ' : ''}${more.slice(2)}`;
    } else if (
      name === 'forbidden' ||
      name === 'strip' ||
      (name === 'pattern' && base === 'Record<string, unknown>') ||
      name === 'when' ||
      name === 'concat' ||
      name === 'alternatives'
    )
      return undefined;
    // every other rule narrows the value, not its type: min, max, integer, guid, pattern, maxChars...
  }
  if (base === undefined) return undefined;
  return { text: nullable ? `${base} | null` : base, present };
}

function wrap(type: string): string {
  return /[|&]/.test(type) ? `(${type})` : type;
}

function objectType(map: Node, depth: number): string | undefined {
  const object = Node.isIdentifier(map) ? initializerOf(map) : map;
  if (!Node.isObjectLiteralExpression(object)) return undefined;
  const keys: string[] = [];
  for (const property of object.getProperties()) {
    // `{ memberId }`: a schema held in a const of the same name.
    if (!Node.isPropertyAssignment(property) && !Node.isShorthandPropertyAssignment(property)) return undefined;
    const name = property.getName();
    const held = Node.isShorthandPropertyAssignment(property)
      ? property.getValueSymbol()?.getDeclarations()[0]
      : undefined;
    const source = Node.isPropertyAssignment(property)
      ? property.getInitializerOrThrow()
      : Node.isVariableDeclaration(held)
        ? held.getInitializer()
        : undefined;
    const value = source === undefined ? undefined : read(source, depth + 1);
    if (value === undefined) return undefined;
    const key = KEY.test(name.replace(/^['"]|['"]$/g, '')) ? name.replace(/^['"]|['"]$/g, '') : name;
    keys.push(`${key}${value.present ? '' : '?'}: ${value.text}`);
  }
  return keys.length === 0 ? '{}' : `{ ${keys.join('; ')} }`;
}
