import { relative } from 'node:path';
import { platformErrors } from '@org/platform';
import { Node, SyntaxKind, type ArrayLiteralExpression, type CallExpression, type SourceFile } from 'ts-morph';
import { errorRegistrations, projectErrorRegistries } from '../../src/codemod/error-registration.js';
import type { Migration, RegistryOutcome } from '../../src/codemod/migration.js';
import { isPlatformExport, platformImports } from '../../src/codemod/platform-symbols.js';
import { TODO, todoComment } from '../../src/codemod/todo.js';

/** A route's `errors`: where it is written, and the codes it names as string literals. */
interface RouteErrors {
  readonly file: SourceFile;
  /** The `errors` property: the marker of a code left goes above it. */
  readonly property: Node;
  readonly line: number;
  readonly codes: readonly string[];
}

// `defineRoute(…)` or `ns.defineRoute(…)` of the platform (a namespace import of '@org/platform').
function isDefineRoute(call: CallExpression): boolean {
  const callee = call.getExpression();
  if (Node.isIdentifier(callee)) return isPlatformExport(callee, 'defineRoute');
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'defineRoute') return false;
  const base = callee.getExpression();
  return (
    Node.isIdentifier(base) &&
    platformImports(call.getSourceFile()).some((d) => d.getNamespaceImport()?.getText() === base.getText())
  );
}

// `[…]`, `[…] as const`, `([…] satisfies …)`: the array itself.
function unwrap(node: Node | undefined): Node | undefined {
  let current = node;
  while (Node.isAsExpression(current) || Node.isSatisfiesExpression(current) || Node.isParenthesizedExpression(current))
    current = current.getExpression();
  return current;
}

// The array literal a route's `errors` is: written in place, or a constant it names (in the file or imported).
function errorsArray(value: Node | undefined): ArrayLiteralExpression | undefined {
  const node = unwrap(value);
  if (Node.isArrayLiteralExpression(node)) return node;
  if (!Node.isIdentifier(node)) return undefined;
  const symbol = node.getSymbol();
  const target = symbol?.isAlias() === true ? symbol.getAliasedSymbol() : symbol;
  const declaration = target?.getDeclarations()[0];
  if (!Node.isVariableDeclaration(declaration)) return undefined;
  const initializer = unwrap(declaration.getInitializer());
  return Node.isArrayLiteralExpression(initializer) ? initializer : undefined;
}

// The string literals of an errors array, those of a constant it spreads (`...upstreamErrors`) included.
function literals(array: ArrayLiteralExpression, seen = new Set<Node>()): string[] {
  if (seen.has(array)) return [];
  seen.add(array);
  return array.getElements().flatMap((element) => {
    if (Node.isStringLiteral(element) || Node.isNoSubstitutionTemplateLiteral(element))
      return [element.getLiteralText()];
    if (!Node.isSpreadElement(element)) return [];
    const spread = errorsArray(element.getExpression());
    return spread === undefined ? [] : literals(spread, seen);
  });
}

function routeErrors(file: SourceFile): RouteErrors[] {
  const out: RouteErrors[] = [];
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const options = call.getArguments()[0];
    if (!Node.isObjectLiteralExpression(options) || !isDefineRoute(call)) continue;
    const property = options.getProperty('errors');
    let value: Node | undefined;
    if (Node.isPropertyAssignment(property)) value = property.getInitializer();
    else if (Node.isShorthandPropertyAssignment(property)) value = property.getNameNode();
    else continue;
    const array = errorsArray(value);
    if (array === undefined) continue;
    const codes = literals(array);
    if (codes.length > 0) out.push({ file, property, line: property.getStartLineNumber(), codes });
  }
  return out;
}

const leftMessage = (code: string) =>
  `${code} is no code of a defineErrorCodes() registry of this project: @org/platform 1.0 accepts in a route's errors only the codes of registered registries (ErrorRegistries). ` +
  'Define it in a registry (run the migration again to register it), register the registry that defines it, or name an existing code.';

// The marker lines above a route's `errors` that it does not carry yet (a second run adds nothing).
function markerInserts(route: RouteErrors, codes: readonly string[]): { start: number; text: string }[] {
  const present = route.property
    .getLeadingCommentRanges()
    .map((range) => range.getText())
    .join('\n')
    .replace(/\n\s*\/\/\s+/g, ' ');
  const wanted = codes.map(leftMessage).filter((line) => !present.includes(`${TODO}: ${line}`));
  if (wanted.length === 0) return [];
  const text = route.file.getFullText();
  const start = route.property.getStart(true);
  const indent = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', start - 1) + 1))![0];
  return [
    {
      start,
      text: `${wanted
        .map((line) => todoComment(line, indent))
        .join('\n')
        .trimStart()}\n${indent}`,
    },
  ];
}

/**
 * `error-registries` (1.0.0): 1.0 types a declared route's `errors` from the registries the
 * program registers in `ErrorRegistries`, so a 0.x service naming codes of its own registry no
 * longer compiles. Every `defineRoute({ errors: [...] })` of the project's TypeScript (string
 * literals, in place or in a constant the route names) is read; each `defineErrorCodes()` registry
 * defining one of those codes that is not the platform's is registered once, at the end of its
 * file, unless the project registers it already. A code no registry of the project defines is left,
 * marked `TODO(org-platform)` above the route's `errors`. JavaScript has no types to register: its
 * routes are checked at run time, and the migration leaves them alone.
 */
export const errorRegistries: Migration = {
  appliesTo: (text) => text.includes('defineRoute') || text.includes('defineErrorCodes'),
  migrateProject(files, context) {
    const rel = (file: SourceFile) => relative(context.root, file.getFilePath()).split('\\').join('/');
    const own = new Set(Object.keys(platformErrors.codes));
    const routes: RouteErrors[] = [];
    for (const file of files) {
      if (context.isJavaScript(file) || file.isDeclarationFile() || !file.getFullText().includes('defineRoute'))
        continue;
      try {
        routes.push(...routeErrors(file));
      } catch (error) {
        context.fileFailed(file, error);
      }
    }
    const codes = new Set(routes.flatMap((route) => route.codes).filter((code) => !own.has(code)));
    if (codes.size === 0) return [];
    const registries = projectErrorRegistries(files, context.isJavaScript);
    const defined = new Set(registries.flatMap((registry) => [...registry.codes]));
    // Lines as the files were before the markers went in.
    const lineOf = new Map(registries.map((registry) => [`${rel(registry.file)}#${registry.name}`, registry.line]));
    const outcomes: RegistryOutcome[] = [];
    // Codes no registry defines: marked above the route's errors, file by file, from the end.
    const inserts = new Map<SourceFile, { start: number; text: string }[]>();
    for (const route of routes) {
      const unknown = [...new Set(route.codes)].filter((code) => codes.has(code) && !defined.has(code));
      if (unknown.length === 0) continue;
      for (const code of unknown)
        outcomes.push({
          kind: 'registry',
          subject: 'code',
          path: rel(route.file),
          line: route.line,
          name: code,
          codes: [code],
          converted: false,
          reason:
            'no defineErrorCodes() registry of the project defines it (a misspelled code, or one defined in JavaScript or in another package): the route does not compile on 1.0 until it names a registered code',
        });
      inserts.set(route.file, [...(inserts.get(route.file) ?? []), ...markerInserts(route, unknown)]);
    }
    for (const [file, list] of inserts) {
      let text = file.getFullText();
      for (const { start, text: insert } of list.sort((a, b) => b.start - a.start))
        text = `${text.slice(0, start)}${insert}${text.slice(start)}`;
      if (text !== file.getFullText()) file.replaceWithText(text);
    }
    for (const registration of errorRegistrations(files, codes, context.isJavaScript)) {
      const { file, at, text } = registration;
      const before = file.getFullText();
      const found = registration.registries.map(({ registry, codes: named }) => ({
        path: rel(file),
        line: lineOf.get(`${rel(file)}#${registry.name}`) ?? registry.line,
        name: registry.name,
        codes: named,
      }));

      file.replaceWithText(`${before.slice(0, at)}${text}${before.slice(at)}`);
      // The safety net: a registration that adds a compile error (two registries of one name) is undone and left.
      const errors = context.newErrors(file);
      if (errors.length > 0) {
        file.replaceWithText(before);
        for (const item of found)
          outcomes.push({
            kind: 'registry',
            subject: 'registry',
            ...item,
            converted: false,
            reason: `the registration would not compile (${errors[0]!.split('\n')[0]!.slice(0, 200)}): register it by hand under a key of its own`,
          });
        continue;
      }
      for (const item of found)
        outcomes.push({ kind: 'registry', subject: 'registry', ...item, converted: true, reason: undefined });
    }
    return outcomes.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  },
};
