import { relative } from 'node:path';
import { Node, SyntaxKind, type CallExpression, type ObjectLiteralExpression, type SourceFile } from 'ts-morph';
import type { Migration, OptionOutcome } from '../../src/codemod/migration.js';
import { TODO, todoComment } from '../../src/codemod/todo.js';
import { REMOVED_OPTIONS } from '../../src/release/moves-1.0.js';

type Found = Omit<OptionOutcome, 'kind' | 'path'>;

// Whether the call's callee is the platform's `fn` (a named import, aliased or not, or `ns.fn` of a namespace import).
function callsPlatform(call: CallExpression, fn: string, from: string): boolean {
  const callee = call.getExpression();
  const file = call.getSourceFile();
  const imports = file.getImportDeclarations().filter((d) => d.getModuleSpecifierValue() === from);
  if (Node.isIdentifier(callee))
    return imports.some((d) =>
      d
        .getNamedImports()
        .some((s) => s.getName() === fn && (s.getAliasNode() ?? s.getNameNode()).getText() === callee.getText()),
    );
  if (Node.isPropertyAccessExpression(callee) && callee.getName() === fn) {
    const base = callee.getExpression();
    return Node.isIdentifier(base) && imports.some((d) => d.getNamespaceImport()?.getText() === base.getText());
  }
  return false;
}

// `health: L.health, loadShedder: L.loadShedder` → 'L'; undefined when an option is anything else.
function lifecycleOf(
  options: ObjectLiteralExpression,
  names: readonly string[],
  replacement: string,
): string | undefined {
  const bases = new Set<string>();
  for (const name of names) {
    const property = options.getProperty(name);
    if (!Node.isPropertyAssignment(property)) return undefined;
    const value = property.getInitializer();
    if (!Node.isPropertyAccessExpression(value) || value.getName() !== name) return undefined;
    bases.add(value.getExpression().getText());
  }
  const present = options.getProperty(replacement);
  if (present !== undefined) {
    if (!Node.isPropertyAssignment(present) && !Node.isShorthandPropertyAssignment(present)) return undefined;
    bases.add(Node.isPropertyAssignment(present) ? (present.getInitializer()?.getText() ?? '') : present.getName());
  }
  return bases.size === 1 ? [...bases][0] : undefined;
}

/**
 * `app-lifecycle` (1.0.0): the options 1.0 removed from `createServiceApp` (`health`,
 * `loadShedder`, `observability`, `metrics`) in favour of `lifecycle`. Where each is the same
 * lifecycle's own (`health: lifecycle.health, loadShedder: lifecycle.loadShedder`), they become
 * `lifecycle: lifecycle`. Anything else (a health registry of its own, a shared metrics registry)
 * is not mechanical: the call keeps its options, marked `TODO(org-platform)` with the rewrite the
 * platform's changelog gives, and is listed as left.
 */
export const appLifecycle: Migration = {
  appliesTo: (text) => REMOVED_OPTIONS.some((option) => text.includes(option.function) && text.includes(option.option)),
  migrateProject(files, context) {
    const outcomes: OptionOutcome[] = [];
    for (const file of files) {
      if (!appLifecycle.appliesTo(file.getFullText())) continue;
      const path = relative(context.root, file.getFilePath()).split('\\').join('/');
      const before = file.getFullText();
      const found: Found[] = [];
      const markers: Marker[] = [];
      try {
        // Every line is read before anything moves; the markers' places are taken once the rewrites are done.
        for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression).reverse())
          migrateCall(call, found, markers);
        const inserts = markers.flatMap((marker) => markerText(file, marker));
        if (inserts.length > 0) {
          let text = file.getFullText();
          for (const { start, text: insert } of inserts.sort((a, b) => b.start - a.start))
            text = `${text.slice(0, start)}${insert}${text.slice(start)}`;
          file.replaceWithText(text);
        }
        const errors = context.isJavaScript(file) ? [] : context.newErrors(file);
        if (errors.length > 0 && found.some((o) => o.converted)) {
          file.replaceWithText(before);
          for (const outcome of found)
            outcomes.push({
              ...outcome,
              kind: 'option',
              path,
              to: null,
              converted: false,
              reason: outcome.converted
                ? `the rewritten call would not compile (${errors[0]!.split('\n')[0]!.slice(0, 200)})`
                : outcome.reason,
            });
          continue;
        }
      } catch (error) {
        file.replaceWithText(before);
        context.fileFailed(file, error);
        continue;
      }
      for (const outcome of found) outcomes.push({ ...outcome, kind: 'option', path });
    }
    return outcomes.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  },
};

/** The marker lines wanted above a statement. */
interface Marker {
  readonly statement: Node;
  readonly lines: readonly string[];
}

// The text to insert above the marker's statement: the lines it does not carry yet (a second run adds nothing).
function markerText(file: SourceFile, { statement, lines }: Marker): { start: number; text: string }[] {
  const present = statement
    .getLeadingCommentRanges()
    .map((range) => range.getText())
    .join('\n')
    .replace(/\n\s*\/\/\s+/g, ' ');
  const wanted = lines.filter((line) => !present.includes(`${TODO}: ${line}`));
  if (wanted.length === 0) return [];
  const text = file.getFullText();
  const start = statement.getStart(true);
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

function migrateCall(call: CallExpression, found: Found[], markers: Marker[]): void {
  const options = call.getArguments()[0];
  if (!Node.isObjectLiteralExpression(options)) return;
  for (const fn of new Set(REMOVED_OPTIONS.map((o) => o.function))) {
    const removed = REMOVED_OPTIONS.filter((o) => o.function === fn && options.getProperty(o.option) !== undefined);
    if (removed.length === 0 || !callsPlatform(call, fn, removed[0]!.from)) continue;
    const replacement = removed[0]!.replacement;
    const lifecycle = lifecycleOf(
      options,
      removed.map((o) => o.option),
      replacement,
    );
    const lines = new Map(removed.map((o) => [o.option, options.getProperty(o.option)!.getStartLineNumber()]));
    if (lifecycle === undefined) {
      const statement =
        call.getFirstAncestor((node) => Node.isStatement(node) && Node.isSourceFile(node.getParent())) ?? call;
      markers.push({
        statement,
        lines: removed.map(
          (o) =>
            `${fn}({ ${o.option} }) was removed in @org/platform 1.0: ${o.rewrite}${o.note === undefined ? '' : `; ${o.note}`}`,
        ),
      });
      for (const o of removed)
        found.push({
          line: lines.get(o.option)!,
          name: `${fn}({ ${o.option} })`,
          to: null,
          converted: false,
          reason: `not the same lifecycle's own ${o.option} (${options.getProperty(o.option)!.getText().slice(0, 80)}): ${o.rewrite}`,
        });
      continue;
    }
    const first = Math.min(...removed.map((o) => options.getProperty(o.option)!.getChildIndex()));
    // `lifecycle: lifecycle` is written `lifecycle`.
    const shorthand = lifecycle === replacement;
    if (options.getProperty(replacement) === undefined) {
      if (shorthand) options.insertShorthandPropertyAssignment(first, { name: replacement });
      else options.insertPropertyAssignment(first, { name: replacement, initializer: lifecycle });
    }
    for (const o of removed) options.getProperty(o.option)!.remove();
    for (const o of removed)
      found.push({
        line: lines.get(o.option)!,
        name: `${fn}({ ${o.option} })`,
        to: `${fn}({ ${shorthand ? replacement : `${replacement}: ${lifecycle}`} })`,
        converted: true,
        reason: undefined,
      });
  }
}
