import { relative } from 'node:path';
import {
  Node,
  QuoteKind,
  SyntaxKind,
  type ExportDeclaration,
  type Identifier,
  type ImportDeclaration,
  type SourceFile,
  type Statement,
} from 'ts-morph';
import type { ImportOutcome, Migration } from '../../src/codemod/migration.js';
import { fateOf, SOURCES, type Fate } from './moves.js';
import type { MovedName } from '../../src/release/moves.js';
import { namespaceName } from './namespace-name.js';
import { markerAbove } from './marker.js';

type Outcome = Omit<ImportOutcome, 'kind' | 'path'>;

/** A name to bring in from its new entry point: the name, its local alias, whether only as a type. */
interface Wanted {
  readonly name: string;
  readonly alias: string | undefined;
  readonly typeOnly: boolean;
}

function moved(fate: Fate | undefined): fate is { readonly moved: MovedName } {
  return fate !== undefined && 'moved' in fate;
}

function leftReason(from: string, name: string, fate: Fate): string {
  return 'internal' in fate
    ? `${name} is no longer exported by ${from} in 1.0 (${fate.internal.why})`
    : `${name} moved to ${fate.moved.to}`;
}

// Named imports of moved names join an import of their new entry point (one of the same kind, or a new one after `after`).
function addImports(
  file: SourceFile,
  after: ImportDeclaration,
  to: string,
  typeOnly: boolean,
  names: readonly Wanted[],
): void {
  const existing = file
    .getImportDeclarations()
    .find(
      (d) =>
        d !== after &&
        d.getModuleSpecifierValue() === to &&
        d.getNamespaceImport() === undefined &&
        d.getDefaultImport() === undefined &&
        d.isTypeOnly() === typeOnly,
    );
  const specifiers = names.map(({ name, alias, typeOnly: own }) => ({
    name,
    ...(alias === undefined ? {} : { alias }),
    ...(own && !typeOnly ? { isTypeOnly: true } : {}),
  }));
  const present = new Set(
    existing?.getNamedImports().map((s) => (s.getAliasNode() ?? s.getNameNode()).getText()) ?? [],
  );
  const fresh = specifiers.filter((s) => !present.has(s.alias ?? s.name));
  if (fresh.length === 0) return;
  if (existing !== undefined) existing.addNamedImports(fresh);
  else
    file.insertImportDeclaration(after.getChildIndex() + 1, {
      moduleSpecifier: to,
      namedImports: fresh,
      isTypeOnly: typeOnly,
    });
}

// Each migrate* reads the file and returns its edits: every line is read before anything moves.
type Apply = () => void;

function migrateNamedImports(
  file: SourceFile,
  declaration: ImportDeclaration,
  outcomes: Outcome[],
  markers: Map<Statement, string[]>,
): Apply {
  const from = declaration.getModuleSpecifierValue();
  const byTarget = new Map<string, Wanted[]>();
  for (const specifier of declaration.getNamedImports()) {
    const name = specifier.getName();
    const fate = fateOf(from, name);
    if (fate === undefined) continue;
    const line = specifier.getStartLineNumber();
    if ('internal' in fate) {
      outcomes.push({ line, name, from, to: null, converted: false, reason: leftReason(from, name, fate) });
      markers.set(declaration, [
        ...(markers.get(declaration) ?? []),
        `${name} is internal in @org/platform 1.0: ${fate.internal.why}`,
      ]);
      continue;
    }
    byTarget.set(fate.moved.to, [
      ...(byTarget.get(fate.moved.to) ?? []),
      { name, alias: specifier.getAliasNode()?.getText(), typeOnly: specifier.isTypeOnly() },
    ]);
    outcomes.push({ line, name, from, to: fate.moved.to, converted: true, reason: undefined });
  }
  return () => {
    if (byTarget.size === 0) return;
    // The new declarations go after this one, in the order the names came; then this one loses them.
    for (const [to, names] of [...byTarget].reverse())
      addImports(file, declaration, to, declaration.isTypeOnly(), names);
    for (const specifier of declaration.getNamedImports())
      if (moved(fateOf(from, specifier.getName()))) specifier.remove();
    if (
      !declaration.wasForgotten() &&
      declaration.getNamedImports().length === 0 &&
      declaration.getDefaultImport() === undefined &&
      declaration.getNamespaceImport() === undefined
    )
      declaration.remove();
  };
}

// `platform.accessLog` (a value) and `platform.Logger` (a type) through `import * as platform`.
function namespaceUses(file: SourceFile, local: Identifier): { node: Node; name: string }[] {
  const symbol = local.getSymbol();
  const uses: { node: Node; name: string }[] = [];
  for (const access of file.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
    const target = access.getExpression();
    if (
      Node.isIdentifier(target) &&
      target.getText() === local.getText() &&
      (symbol === undefined || target.getSymbol() === symbol)
    )
      uses.push({ node: target, name: access.getName() });
  }
  for (const qualified of file.getDescendantsOfKind(SyntaxKind.QualifiedName)) {
    const left = qualified.getLeft();
    if (
      Node.isIdentifier(left) &&
      left.getText() === local.getText() &&
      (symbol === undefined || left.getSymbol() === symbol)
    )
      uses.push({ node: left, name: qualified.getRight().getText() });
  }
  return uses;
}

function migrateNamespace(
  file: SourceFile,
  declaration: ImportDeclaration,
  local: Identifier,
  outcomes: Outcome[],
  markers: Map<Statement, string[]>,
): Apply {
  const from = declaration.getModuleSpecifierValue();
  const namespaces = new Map<string, string>();
  const internal = new Set<string>();
  const edits: { node: Node; text: string }[] = [];
  for (const { node, name } of namespaceUses(file, local)) {
    const fate = fateOf(from, name);
    if (fate === undefined) continue;
    if ('internal' in fate) {
      if (!internal.has(name))
        outcomes.push({
          line: node.getStartLineNumber(),
          name,
          from,
          to: null,
          converted: false,
          reason: leftReason(from, name, fate),
        });
      internal.add(name);
      continue;
    }
    const existing = file
      .getImportDeclarations()
      .find((d) => d.getModuleSpecifierValue() === fate.moved.to && d.getNamespaceImport() !== undefined);
    const target =
      namespaces.get(fate.moved.to) ??
      existing?.getNamespaceImport()?.getText() ??
      namespaceName(file, local.getText(), fate.moved.to, [...namespaces.values()]);
    namespaces.set(fate.moved.to, target);
    edits.push({ node, text: target });
    outcomes.push({
      line: node.getStartLineNumber(),
      name,
      from,
      to: fate.moved.to,
      converted: true,
      reason: undefined,
    });
  }
  for (const name of internal)
    markers.set(declaration, [
      ...(markers.get(declaration) ?? []),
      `${local.getText()}.${name}: ${name} is internal in @org/platform 1.0: ${fateOf(from, name) === undefined ? '' : (fateOf(from, name) as { internal: { why: string } }).internal.why}`,
    ]);
  return () => {
    // Last first, so that earlier positions stay valid.
    for (const { node, text } of edits.sort((a, b) => b.node.getStart() - a.node.getStart()))
      node.replaceWithText(text);
    let at = declaration.getChildIndex() + 1;
    for (const [to, name] of namespaces) {
      if (
        file
          .getImportDeclarations()
          .some((d) => d.getModuleSpecifierValue() === to && d.getNamespaceImport()?.getText() === name)
      )
        continue;
      file.insertImportDeclaration(at, {
        moduleSpecifier: to,
        namespaceImport: name,
        isTypeOnly: declaration.isTypeOnly(),
      });
      at += 1;
    }
  };
}

function migrateReexport(
  declaration: ExportDeclaration,
  outcomes: Outcome[],
  markers: Map<Statement, string[]>,
): Apply {
  const from = declaration.getModuleSpecifierValue()!;
  if (!declaration.hasNamedExports()) {
    // `export * from '@org/platform'` still compiles, but no longer carries what moved: say so once.
    const line = declaration.getStartLineNumber();
    outcomes.push({
      line,
      name: '*',
      from,
      to: null,
      converted: false,
      reason: `export * from '${from}' no longer re-exports the names 1.0 moved to subpaths or made internal; re-export the ones your users need from their new entry points`,
    });
    markers.set(declaration, [
      `export * from '${from}' no longer re-exports the names @org/platform 1.0 moved to subpaths (org-platform-cli README, "1.0.0: subpath-imports")`,
    ]);
    return () => undefined;
  }
  const byTarget = new Map<string, string[]>();
  for (const specifier of declaration.getNamedExports()) {
    const name = specifier.getName();
    const fate = fateOf(from, name);
    if (fate === undefined) continue;
    const line = specifier.getStartLineNumber();
    if ('internal' in fate) {
      outcomes.push({ line, name, from, to: null, converted: false, reason: leftReason(from, name, fate) });
      markers.set(declaration, [
        ...(markers.get(declaration) ?? []),
        `${name} is internal in @org/platform 1.0: ${fate.internal.why}`,
      ]);
      continue;
    }
    const alias = specifier.getAliasNode()?.getText();
    byTarget.set(fate.moved.to, [
      ...(byTarget.get(fate.moved.to) ?? []),
      `${specifier.isTypeOnly() ? 'type ' : ''}${name}${alias === undefined ? '' : ` as ${alias}`}`,
    ]);
    outcomes.push({ line, name, from, to: fate.moved.to, converted: true, reason: undefined });
  }
  return () => {
    if (byTarget.size === 0) return;
    const quote = declaration.getModuleSpecifier()!.getText()[0] === '"' ? '"' : "'";
    const typeOnly = declaration.isTypeOnly() ? 'type ' : '';
    const added = [...byTarget]
      .map(([to, names]) => `export ${typeOnly}{ ${names.join(', ')} } from ${quote}${to}${quote};`)
      .join('\n');
    for (const specifier of declaration.getNamedExports())
      if (moved(fateOf(from, specifier.getName()))) specifier.remove();
    if (declaration.getNamedExports().length === 0) declaration.replaceWithText(added);
    else declaration.getSourceFile().insertStatements(declaration.getChildIndex() + 1, added);
  };
}

/**
 * `subpath-imports` (1.0.0): imports of the names 1.0 moved out of `@org/platform`'s root (or
 * `/testing`) come from their new entry points: named imports are split (aliases and `type`
 * kept) and merged into an import of the target when there is one, re-exports
 * (`export { x } from`) follow, and `platform.x` through `import * as platform` goes through a
 * namespace import of the target. A name 1.0 made internal has no import to rewrite to: its
 * import stays, marked `TODO(org-platform)` with the reason, and is reported as left.
 */
export const subpathImports: Migration = {
  appliesTo: (text) => [...SOURCES].some((source) => text.includes(`'${source}'`) || text.includes(`"${source}"`)),
  migrateProject(files, context) {
    const outcomes: ImportOutcome[] = [];
    for (const file of files) {
      if (!subpathImports.appliesTo(file.getFullText())) continue;
      const path = relative(context.root, file.getFilePath()).split('\\').join('/');
      const before = file.getFullText();
      const found: Outcome[] = [];
      const markers = new Map<Statement, string[]>();
      // New declarations quote as the file's first platform import does.
      const quoted = file
        .getImportDeclarations()
        .find((d) => SOURCES.has(d.getModuleSpecifierValue()))
        ?.getModuleSpecifier()
        .getText()[0];
      file.getProject().manipulationSettings.set({ quoteKind: quoted === '"' ? QuoteKind.Double : QuoteKind.Single });
      try {
        const edits: Apply[] = [];
        for (const declaration of file.getImportDeclarations()) {
          if (!SOURCES.has(declaration.getModuleSpecifierValue())) continue;
          const namespace = declaration.getNamespaceImport();
          edits.push(
            namespace !== undefined
              ? migrateNamespace(file, declaration, namespace, found, markers)
              : migrateNamedImports(file, declaration, found, markers),
          );
        }
        for (const declaration of file.getExportDeclarations()) {
          const specifier = declaration.getModuleSpecifierValue();
          if (specifier !== undefined && SOURCES.has(specifier))
            edits.push(migrateReexport(declaration, found, markers));
        }
        for (const apply of edits) apply();
        const inserts = [...markers].flatMap(([statement, lines]) =>
          statement.wasForgotten() ? [] : [markerAbove(statement, lines)].filter((edit) => edit !== undefined),
        );
        let text = file.getFullText();
        for (const { start, text: marker } of inserts.sort((a, b) => b.start - a.start))
          text = `${text.slice(0, start)}${marker}${text.slice(start)}`;
        if (text !== file.getFullText()) file.replaceWithText(text);
        // The safety net: an entry point the installed platform does not have (an older one) is a compile error; then nothing moves.
        const errors = context.isJavaScript(file) ? [] : context.newErrors(file);
        if (errors.length > 0 && found.some((o) => o.converted)) {
          file.replaceWithText(before);
          for (const outcome of found)
            outcomes.push({
              ...outcome,
              kind: 'import',
              path,
              converted: false,
              reason: outcome.converted
                ? `the rewritten import would not compile (${errors[0]!.split('\n')[0]!.slice(0, 200)}): is @org/platform 1.0 installed?`
                : outcome.reason,
            });
          continue;
        }
      } catch (error) {
        file.replaceWithText(before);
        context.fileFailed(file, error);
        continue;
      }
      for (const outcome of found) outcomes.push({ ...outcome, kind: 'import', path });
    }
    return outcomes.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  },
};
