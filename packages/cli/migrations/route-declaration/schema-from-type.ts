import { Node, ts, type Type } from 'ts-morph';

const FORMAT = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

function quoteKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * A Joi schema, as source text, that describes values of a TypeScript type: strings, numbers,
 * booleans, literals, null, arrays, Dates, plain objects (required unless optional) and unions of
 * those. Null when the type says too little (`any`, `unknown`) or is not JSON (functions, bigint).
 *
 * @example
 * joiForType(checker.getTypeAtLocation(node), node, 'joi'); // "joi.object({ greeting: joi.string().required() })"
 */
export function joiForType(type: Type, at: Node, joi: string, depth = 0): string | null {
  if (depth > 8) return null;
  if (type.isAny() || type.isUnknown() || type.isNever()) return null;
  if (type.isStringLiteral()) return `${joi}.string().valid(${JSON.stringify(type.getLiteralValue())})`;
  if (type.isNumberLiteral()) return `${joi}.number().valid(${type.getText()})`;
  if (type.isBooleanLiteral()) return `${joi}.boolean().valid(${type.getText()})`;
  if (type.isString() || type.isTemplateLiteral()) return `${joi}.string()`;
  if (type.isNumber()) return `${joi}.number()`;
  if (type.isBoolean()) return `${joi}.boolean()`;
  if (type.isNull()) return `${joi}.valid(null)`;
  if (type.isUnion()) return unionSchema(type, at, joi, depth);
  if (type.isArray()) {
    const items = joiForType(type.getArrayElementTypeOrThrow(), at, joi, depth + 1);
    return items === null ? null : `${joi}.array().items(${items})`;
  }
  if (type.getSymbol()?.getName() === 'Date') return `${joi}.date()`;
  if (type.isObject() && type.getCallSignatures().length === 0) return objectSchema(type, at, joi, depth);
  return null;
}

function unionSchema(type: Type, at: Node, joi: string, depth: number): string | null {
  const members = type.getUnionTypes().filter((member) => !member.isUndefined());
  const nullable = members.some((member) => member.isNull());
  const rest = members.filter((member) => !member.isNull());
  let schema: string | null;
  if (rest.length === 0) return `${joi}.valid(null)`;
  if (rest.every((member) => member.isBooleanLiteral())) schema = `${joi}.boolean()`;
  else if (rest.every((member) => member.isStringLiteral()))
    schema = `${joi}.string().valid(${rest.map((member) => JSON.stringify(member.getLiteralValue())).join(', ')})`;
  else if (rest.length === 1) schema = joiForType(rest[0]!, at, joi, depth + 1);
  else {
    const alternatives = rest.map((member) => joiForType(member, at, joi, depth + 1));
    schema = alternatives.includes(null) ? null : `${joi}.alternatives(${alternatives.join(', ')})`;
  }
  return schema === null ? null : nullable ? `${schema}.allow(null)` : schema;
}

function objectSchema(type: Type, at: Node, joi: string, depth: number): string | null {
  const index = type.getStringIndexType();
  if (index !== undefined && type.getProperties().length === 0) {
    const values = joiForType(index, at, joi, depth + 1);
    return values === null ? null : `${joi}.object().pattern(${joi}.string(), ${values})`;
  }
  const keys: string[] = [];
  for (const property of type.getProperties()) {
    const propertyType = property.getTypeAtLocation(at);
    const schema = joiForType(propertyType, at, joi, depth + 1);
    if (schema === null) return null;
    const optional =
      property.isOptional() ||
      propertyType.isUndefined() ||
      (propertyType.isUnion() && propertyType.getUnionTypes().some((member) => member.isUndefined()));
    keys.push(`${quoteKey(property.getName())}: ${schema}${optional ? '' : '.required()'}`);
  }
  return `${joi}.object({ ${keys.join(', ')} })`;
}

/**
 * The top-level response schema of a reply body: a typed `joi.object<T>({...})` for objects (so
 * the compiler checks the handler's replies against it), the plain schema for anything else.
 *
 * @example
 * responseSchema(body.getType(), body, 'joi'); // "joi.object<{ greeting: string; }>({ greeting: joi.string().required() })"
 */
export function responseSchema(type: Type, at: Node, joi: string): string | null {
  const schema = joiForType(type, at, joi);
  if (schema === null) return null;
  // A union of shapes: `joi.alternatives<A | B>()`, typed too.
  const alternatives = `${joi}.alternatives(`;
  if (schema.startsWith(alternatives))
    return `${joi}.alternatives<${type.getText(at, FORMAT)}>(${schema.slice(alternatives.length)}`;
  const prefix = `${joi}.object(`;
  if (!schema.startsWith(prefix)) return schema;
  return `${joi}.object<${type.getText(at, FORMAT)}>(${schema.slice(prefix.length)}`;
}

/**
 * The declarations of the named types a reply's type is written with (`Book`, `Loan[]`, a union of
 * them): what the declaration's `joi.object<Book>` needs in scope where it lands. Only the
 * project's own (interfaces, type aliases, classes), never a package's or the standard library's.
 *
 * @example
 * namedTypes(body.getType()).map((d) => d.getName()); // ['Book']
 */
export function namedTypes(type: Type, depth = 0): Node[] {
  if (depth > 6) return [];
  const found: Node[] = [];
  const symbol = type.getAliasSymbol() ?? type.getSymbol();
  const declaration = symbol?.getDeclarations()[0];
  const own =
    declaration !== undefined &&
    !declaration.getSourceFile().isDeclarationFile() &&
    !declaration.getSourceFile().getFilePath().includes('/node_modules/');
  if (
    own &&
    (Node.isInterfaceDeclaration(declaration) ||
      Node.isTypeAliasDeclaration(declaration) ||
      Node.isClassDeclaration(declaration))
  )
    found.push(declaration);
  const members = type.isUnion() ? type.getUnionTypes() : type.isArray() ? [type.getArrayElementTypeOrThrow()] : [];
  for (const member of members) found.push(...namedTypes(member, depth + 1));
  return [...new Set(found)];
}
