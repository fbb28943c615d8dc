import { Node, SyntaxKind, type SourceFile, type VariableDeclaration } from 'ts-morph';
import { isPlatformExport } from './platform-symbols.js';
import { indentUnit, propertyKey, quoteOf } from './source-text.js';

/** A `const name = defineErrorCodes({ … })` at the top of a module of the project. */
export interface ErrorRegistry {
  readonly file: SourceFile;
  readonly declaration: VariableDeclaration;
  readonly name: string;
  /** 1-based line of the declaration. */
  readonly line: number;
  readonly codes: ReadonlySet<string>;
  readonly semicolon: boolean;
}

/** A registration to write: at the end of the registry's file, for the registries it defines. */
export interface ErrorRegistration {
  readonly file: SourceFile;
  /** Where the registration goes: the end of the registry's file. */
  readonly at: number;
  readonly text: string;
  /** The registries it registers, each with the codes asked for that it defines. */
  readonly registries: readonly { readonly registry: ErrorRegistry; readonly codes: readonly string[] }[];
}

/**
 * The project's `defineErrorCodes()` registries (TypeScript only: a JavaScript registry has no
 * type to register).
 *
 * @example
 * projectErrorRegistries(files, (file) => file.getFilePath().endsWith('.js'));
 */
export function projectErrorRegistries(
  files: readonly SourceFile[],
  isJavaScript: (file: SourceFile) => boolean,
): ErrorRegistry[] {
  return files.flatMap((file) => {
    if (isJavaScript(file) || file.isDeclarationFile()) return [];
    return file.getVariableStatements().flatMap((statement) =>
      statement.getDeclarations().flatMap((declaration) => {
        const call = declaration.getInitializer();
        if (!Node.isCallExpression(call) || !isPlatformExport(call.getExpression(), 'defineErrorCodes')) return [];
        const codes = call.getArguments()[0];
        if (!Node.isObjectLiteralExpression(codes)) return [];
        const names = codes
          .getProperties()
          .flatMap((property) =>
            Node.isPropertyAssignment(property) ? [property.getName().replace(/^['"]|['"]$/g, '')] : [],
          );
        return [
          {
            file,
            declaration,
            name: declaration.getName(),
            line: declaration.getStartLineNumber(),
            codes: new Set(names),
            semicolon: statement.getText().endsWith(';'),
          },
        ];
      }),
    );
  });
}

// Whether some `interface ErrorRegistries` of the project has `typeof <the registry>` already (a
// second run, or by hand, under any key and in any file): by symbol when the checker resolves the
// name, else by name in the registry's own file.
function registered(files: readonly SourceFile[], registry: ErrorRegistry): boolean {
  const own = registry.declaration.getSymbol();
  return files.some(
    (file) =>
      file.getFullText().includes('ErrorRegistries') &&
      file.getDescendantsOfKind(SyntaxKind.InterfaceDeclaration).some(
        (declaration) =>
          declaration.getName() === 'ErrorRegistries' &&
          declaration.getProperties().some((property) => {
            const type = property.getTypeNode();
            if (!Node.isTypeQuery(type)) return false;
            const name = type.getExprName();
            if (file === registry.file && name.getText() === registry.name) return true;
            const symbol = name.getSymbol();
            const target = symbol?.isAlias() === true ? symbol.getAliasedSymbol() : symbol;
            return own !== undefined && target === own;
          }),
      ),
  );
}

/**
 * From 1.0, a route's `errors` compiles only with codes of the registries registered in the
 * platform's `ErrorRegistries` interface. For each code the declared routes name, the project's
 * `defineErrorCodes()` registry that defines it gets that registration at the end of its own file,
 * once (`declare module '@org/platform' { interface ErrorRegistries { readonly orderErrors: typeof
 * orderErrors } }`); a registry registered anywhere in the project already gets none. Before 1.0
 * the interface does not exist, and the augmentation only declares it. The platform's own codes
 * need none; a code no registry of the project defines gets none (the caller says so).
 *
 * @example
 * errorRegistrations(files, new Set(['ORDER_NOT_FOUND']), (file) => file.getFilePath().endsWith('.js'));
 */
export function errorRegistrations(
  files: readonly SourceFile[],
  codes: ReadonlySet<string>,
  isJavaScript: (file: SourceFile) => boolean,
): ErrorRegistration[] {
  const out: ErrorRegistration[] = [];
  const all = projectErrorRegistries(files, isJavaScript);
  for (const file of new Set(all.map((registry) => registry.file))) {
    const wanted = all.filter(
      (registry) =>
        registry.file === file && [...registry.codes].some((code) => codes.has(code)) && !registered(files, registry),
    );
    if (wanted.length === 0) continue;
    const unit = indentUnit(file);
    const end = wanted.every((registry) => registry.semicolon) ? ';' : '';
    const members = wanted.map(
      (registry) =>
        `${unit}${unit}readonly ${propertyKey(registry.name, quoteOf(file))}: typeof ${registry.name}${end}`,
    );
    const block = [
      '',
      "// Routes' `errors` may name these codes (@org/platform 1.0 checks them when compiling).",
      `declare module ${quoteOf(file)}@org/platform${quoteOf(file)} {`,
      `${unit}interface ErrorRegistries {`,
      ...members,
      `${unit}}`,
      '}',
      '',
    ].join('\n');
    const text = file.getFullText();
    out.push({
      file,
      at: text.length,
      text: text.endsWith('\n') ? block : `\n${block}`,
      registries: wanted.map((registry) => ({
        registry,
        codes: [...registry.codes].filter((code) => codes.has(code)),
      })),
    });
  }
  return out;
}
