import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { isPlatformExport } from './platform-symbols.js';
import { indentUnit, propertyKey, quoteOf } from './text.js';

/** A `defineErrorCodes()` registry of the project that defines codes the declared routes name. */
export interface ErrorRegistration {
  readonly file: SourceFile;
  /** Where the registration goes: the end of the registry's file. */
  readonly at: number;
  readonly text: string;
}

// `const name = defineErrorCodes({ … })` at the top of a module: its name and its codes.
function registries(file: SourceFile): { name: string; codes: Set<string>; semicolon: boolean }[] {
  return file.getVariableStatements().flatMap((statement) =>
    statement.getDeclarations().flatMap((declaration) => {
      const call = declaration.getInitializer();
      if (!Node.isCallExpression(call) || !isPlatformExport(call.getExpression(), 'defineErrorCodes')) return [];
      const codes = call.getArguments()[0];
      if (!Node.isObjectLiteralExpression(codes)) return [];
      const names = codes.getProperties().flatMap((property) => (Node.isPropertyAssignment(property) ? [property.getName().replace(/^['"]|['"]$/g, '')] : []));
      return [{ name: declaration.getName(), codes: new Set(names), semicolon: statement.getText().endsWith(';') }];
    }),
  );
}

// Whether the file registers `name` already (a second run, or by hand).
function registered(file: SourceFile, name: string): boolean {
  return file.getDescendantsOfKind(SyntaxKind.InterfaceDeclaration).some((declaration) => declaration.getName() === 'ErrorRegistries' && declaration.getProperties().some((property) => property.getTypeNode()?.getText() === `typeof ${name}`));
}

/**
 * From 1.0, a route's `errors` compiles only with codes of the registries registered in the
 * platform's `ErrorRegistries` interface. For each code the declared routes name, the project's
 * `defineErrorCodes()` registry that defines it gets that registration at the end of its own file,
 * once (`declare module '@org/platform' { interface ErrorRegistries { readonly orderErrors: typeof
 * orderErrors } }`). Before 1.0 the interface does not exist, and the augmentation only declares it.
 * The platform's own codes need none; a code no registry of the project defines gets none (the
 * compiler then says so, and the route is left).
 *
 * @example
 * errorRegistrations(files, new Set(['ORDER_NOT_FOUND']), (file) => file.getFilePath().endsWith('.js'));
 */
export function errorRegistrations(files: readonly SourceFile[], codes: ReadonlySet<string>, isJavaScript: (file: SourceFile) => boolean): ErrorRegistration[] {
  const out: ErrorRegistration[] = [];
  for (const file of files) {
    if (isJavaScript(file) || file.isDeclarationFile()) continue;
    const wanted = registries(file).filter((registry) => [...registry.codes].some((code) => codes.has(code)) && !registered(file, registry.name));
    if (wanted.length === 0) continue;
    const unit = indentUnit(file);
    const end = wanted.every((registry) => registry.semicolon) ? ';' : '';
    const members = wanted.map((registry) => `${unit}${unit}readonly ${propertyKey(registry.name, quoteOf(file))}: typeof ${registry.name}${end}`);
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
    out.push({ file, at: text.length, text: text.endsWith('\n') ? block : `\n${block}` });
  }
  return out;
}
