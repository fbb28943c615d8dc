import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { freeNames, specifierFrom, type FreeName } from './free-names.js';
import { needPlatform, push, type PlanOutput } from './plan-output.js';
import type { RoutePlan } from './plan-route.js';
import { statementLines } from './removals.js';
import { applyEdits } from './text.js';

/** A module-level declaration to move into the routes' file, with the module it leaves. */
export interface Move {
  readonly statement: Node;
  readonly name: string;
  readonly source: SourceFile;
}

/**
 * Makes a name the declaration uses from another module (the handler's or the description's)
 * reachable in the routes' `file`: its import is repeated there, or its declaration is exported
 * where it is and imported. When that module imports `file` already, importing from it would make
 * a cycle that breaks at load time (a const read before it is initialised), so the declaration is
 * to move instead (answered in `moves`).
 */
export function reachName(free: FreeName, file: SourceFile, output: PlanOutput, moves: Move[]): void {
  if (free.importFrom !== undefined) {
    if (free.importFrom.specifier === '@org/platform') {
      needPlatform(output, file, free.name);
      return;
    }
    const bare = !free.importFrom.specifier.startsWith('.');
    const specifier =
      bare || free.importFrom.file === undefined
        ? free.importFrom.specifier
        : free.importFrom.file === file
          ? undefined
          : specifierFrom(file, free.importFrom.file);
    if (specifier === undefined) return;
    push(output.imports, file, {
      specifier,
      name: free.importFrom.imported === free.name ? free.name : `${free.importFrom.imported} as ${free.name}`,
      typeOnly: free.importFrom.typeOnly,
    });
    return;
  }
  if (free.declaration === undefined) return;
  const source = free.declaration.getSourceFile();
  if (source === file) return;
  const statement = Node.isSourceFile(free.declaration.getParent())
    ? free.declaration
    : (free.declaration.getFirstAncestor((a) => Node.isSourceFile(a.getParent())) ?? free.declaration);
  if (source.getImportDeclarations().some((d) => d.getModuleSpecifierSourceFile() === file)) {
    moves.push({ statement, name: free.name, source });
    return;
  }
  push(output.exports, source, statement);
  const typeOnly = Node.isInterfaceDeclaration(statement) || Node.isTypeAliasDeclaration(statement);
  push(output.imports, file, { specifier: specifierFrom(file, source), name: free.name, typeOnly });
}

/**
 * Moves declarations into the routes' `file`, after its imports, with the module-level
 * declarations they use from their module (and the imports those need): the module they leave
 * imports what it still reads, and re-exports what others imported from it. `movedAlready`
 * (`file:start`) keeps a declaration that an earlier group of the router moved from moving twice.
 */
export function moveDeclarations(
  moves: readonly Move[],
  file: SourceFile,
  run: readonly RoutePlan[],
  output: PlanOutput,
  movedAlready: Set<string>,
): void {
  const moved: Move[] = [];
  const queue = [...moves];
  while (queue.length > 0) {
    const move = queue.shift()!;
    const key = `${move.source.getFilePath()}:${move.statement.getStart()}`;
    if (movedAlready.has(key)) continue;
    movedAlready.add(key);
    moved.push(move);
    for (const free of freeNames(move.statement)) {
      if (free.importFrom !== undefined) {
        if (free.importFrom.specifier === '@org/platform') needPlatform(output, file, free.name);
        else
          push(output.imports, file, {
            specifier:
              free.importFrom.specifier.startsWith('.') && free.importFrom.file !== undefined
                ? specifierFrom(file, free.importFrom.file)
                : free.importFrom.specifier,
            name: free.name,
            typeOnly: free.importFrom.typeOnly,
          });
      } else if (free.declaration !== undefined) {
        const statement = Node.isSourceFile(free.declaration.getParent())
          ? free.declaration
          : free.declaration.getFirstAncestor((a) => Node.isSourceFile(a.getParent()));
        if (statement !== undefined && Node.isSourceFile(statement.getParent()))
          queue.push({ statement, name: free.name, source: move.source });
      }
    }
  }
  if (moved.length === 0) return;
  const lastImport = file.getImportDeclarations().at(-1);
  const at = lastImport === undefined ? 0 : statementLines(lastImport, false).end;
  const ordered = [...moved].sort((a, b) => a.statement.getStart() - b.statement.getStart());
  // The schemas that gained a type keep it when they move.
  const typedEdits = run.flatMap((plan) =>
    plan.typedSchemas.map((typed) => ({
      file: typed.at.getSourceFile(),
      at: typed.at.asKindOrThrow(SyntaxKind.CallExpression).getExpression().getEnd(),
      type: typed.type,
    })),
  );
  const text = ordered
    .map((m) => {
      const inside = typedEdits.filter(
        (edit, index) =>
          edit.file === m.source &&
          edit.at > m.statement.getStart() &&
          edit.at < m.statement.getEnd() &&
          typedEdits.findIndex((other) => other.file === edit.file && other.at === edit.at) === index,
      );
      const own = applyEdits(
        m.statement.getText(),
        inside.map((edit) => ({ start: edit.at, end: edit.at, text: `<${edit.type}, true>` })),
        m.statement.getStart(),
      );
      return /^export\s/.test(own) ? own : `export ${own}`;
    })
    .join('\n');
  push(output.edits, file, { start: at, end: at, text: `\n${text}\n` });
  for (const m of ordered) push(output.edits, m.source, statementLines(m.statement, true, true));
  for (const source of new Set(ordered.map((m) => m.source))) {
    const own = ordered.filter((x) => x.source === source);
    // What stays in the module still reads them (import); what others imported from it still finds them (re-export).
    const rest = own.reduce((remaining, m) => remaining.replace(m.statement.getText(), ''), source.getFullText());
    for (const m of own)
      if (new RegExp(`(?<![\\w$.])${m.name}(?![\\w$])`).test(rest.replace(/^import .*$/gm, '')))
        push(output.imports, source, { specifier: specifierFrom(source, file), name: m.name, typeOnly: false });
    const reexported = own.filter((m) => /^export\s/.test(m.statement.getText()));
    if (reexported.length > 0) {
      const lastSourceImport = source.getImportDeclarations().at(-1);
      const where = lastSourceImport === undefined ? 0 : statementLines(lastSourceImport, false).end;
      push(output.edits, source, {
        start: where,
        end: where,
        text: `\nexport { ${reexported.map((m) => m.name).join(', ')} } from '${specifierFrom(source, file)}';\n`,
      });
    }
  }
}
