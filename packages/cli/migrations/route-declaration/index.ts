import { relative } from 'node:path';
import { DiagnosticCategory, Node, QuoteKind, SyntaxKind, type SourceFile } from 'ts-morph';
import type { Migration, RouteOutcome } from '../../src/codemod/migration.js';
import { relatedFiles } from '../../src/codemod/project.js';
import { errorRegistrations } from '../../src/codemod/error-registration.js';
import { ensureImports } from './imports.js';
import { isPlatformExport, platformImports } from '../../src/codemod/platform-symbols.js';
import { optionalReads, type OptionalRead } from './optional-reads.js';
import { push } from './plan-output.js';
import type { RoutePlan } from './plan-route.js';
import { planRouter } from './plan-router.js';
import { findRouteSites, statementOf, type RouteSite } from './sites.js';
import { indentUnit, quoteOf } from '../../src/codemod/source-text.js';
import { applyEdits, type Edit } from './text.js';
import { TODO, todoComment } from '../../src/codemod/todo.js';

const DEP001 = 'ORG_PLATFORM_DEP001';
const DEP002 = 'ORG_PLATFORM_DEP002';

function joiName(file: SourceFile): string {
  for (const declaration of platformImports(file)) {
    const specifier = declaration.getNamedImports().find((s) => s.getName() === 'joi');
    if (specifier !== undefined) return specifier.getAliasNode()?.getText() ?? 'joi';
  }
  return 'joi';
}

// Edits inside another edit are part of it: keep the outer one. Removals that overlap are one removal.
function outermost(edits: readonly Edit[]): Edit[] {
  const unique = edits.filter(
    (edit, index) =>
      edits.findIndex((other) => other.start === edit.start && other.end === edit.end && other.text === edit.text) ===
      index,
  );
  const merged: Edit[] = [];
  for (const edit of [...unique].sort((a, b) => a.start - b.start)) {
    const previous = merged.at(-1);
    if (previous !== undefined && previous.text === '' && edit.text === '' && edit.start < previous.end)
      merged[merged.length - 1] = { start: previous.start, end: Math.max(previous.end, edit.end), text: '' };
    else merged.push(edit);
  }
  return keepOuter(merged);
}

function keepOuter(unique: readonly Edit[]): Edit[] {
  return unique.filter(
    (edit) =>
      !unique.some(
        (outer) =>
          outer !== edit &&
          outer.end > outer.start &&
          outer.start <= edit.start &&
          outer.end >= edit.end &&
          !(outer.start === edit.start && outer.end === edit.end) &&
          !(edit.start === edit.end && (edit.start === outer.start || edit.start === outer.end)),
      ),
  );
}

function sameRouter(a: RouteSite, b: RouteSite): boolean {
  if (a.file !== b.file) return false;
  if (a.router === undefined || b.router === undefined) return a.statement === b.statement;
  return a.router.getSymbol() === b.router.getSymbol();
}

/** A route's method and path as the report names it. */
function describe(site: RouteSite): string {
  return `${site.method.toUpperCase()} ${site.path ?? '?'}`;
}

function markerFor(site: RouteSite, reason: string): string {
  return `${DEP001}: ${describe(site)}: ${reason}; declare this route with defineRoute() by hand`;
}

// Every `// TODO(org-platform)` line of the migration above a statement, with its continuation lines.
function existingMarker(statement: Node): { start: number; end: number; text: string } | undefined {
  const file = statement.getSourceFile().getFullText();
  const start = statement.getStart(true);
  const before = file.slice(0, start);
  const lines = before.split('\n');
  lines.pop();
  const marker: string[] = [];
  while (lines.length > 0 && /^\s*\/\/ /.test(lines.at(-1)!)) {
    marker.unshift(lines.pop()!);
    if (marker[0]!.includes(TODO)) {
      const from = lines.join('\n').length + (lines.length > 0 ? 1 : 0);
      return { start: from, end: before.lastIndexOf('\n') + 1, text: marker.join('\n') };
    }
  }
  return undefined;
}

/**
 * `route-declaration` (0.2.0): `validate()` + `RouteDescription` → one declaration per route.
 * Each route registered with a `validate()` middleware becomes a `defineRoute()` declaration (where
 * its validator was), its description's facts folded in; the routes of one router join one
 * `createRouteGroup()` mounted where they were registered, and the document gets the group. A
 * route it cannot declare without changing what it answers keeps its code (it still compiles and
 * runs: the API is deprecated, not removed) and gets a `TODO(org-platform)` line with the reason.
 */
export const routeDeclaration: Migration = {
  appliesTo: (text) => /\bvalidate\b|\bRouteDescription\b|\bcreateOpenApiDocument\b/.test(text),
  migrateProject(files, context): RouteOutcome[] {
    const decided = new Map<string, RouteOutcome>();
    const relevant = relatedFiles(files, routeDeclaration.appliesTo);
    const rel = (file: SourceFile) => relative(context.root, file.getFilePath()).split('\\').join('/');
    for (let round = 0; round < 500; round += 1) {
      const sites = relevant
        .flatMap((file) => {
          try {
            return findRouteSites(file, rel(file));
          } catch (error) {
            context.fileFailed(file, error);
            return [];
          }
        })
        .filter((site) => !decided.has(site.key));
      if (sites.length === 0) break;
      const unit = sites.filter((site) => sameRouter(site, sites[0]!));
      const file = unit[0]!.file;
      const touched = new Map<SourceFile, string>();
      try {
        const plan = planRouter(unit, {
          javascript: context.isJavaScript(file),
          joi: joiName(file),
          quote: quoteOf(file),
          unit: indentUnit(file),
        });
        for (const [site, reason] of plan.left)
          decided.set(site.key, {
            path: rel(site.file),
            line: site.line,
            method: site.method,
            route: site.path ?? '?',
            converted: false,
            reason,
          });
        if (plan.converted.length === 0) continue;
        for (const target of new Set([
          ...plan.edits.keys(),
          ...plan.imports.keys(),
          ...plan.platform.keys(),
          ...plan.exports.keys(),
        ]))
          touched.set(target, target.getFullText());
        // Exports a moved handler needs, then the text edits, then the imports.
        for (const [target, statements] of plan.exports) {
          for (const statement of statements) {
            if (!Node.isExportable(statement) || statement.isExported()) continue;
            push(plan.edits, target, { start: statement.getStart(), end: statement.getStart(), text: 'export ' });
          }
        }
        for (const [target, edits] of plan.edits)
          target.replaceWithText(applyEdits(target.getFullText(), outermost(edits)));
        // The registries of the codes the routes name, registered where they are defined (1.0 compiles `errors` against them).
        const codes = new Set(plan.converted.flatMap((route) => route.description?.errors ?? []));
        for (const { file: target, at, text } of errorRegistrations(files, codes, context.isJavaScript)) {
          if (!touched.has(target)) touched.set(target, target.getFullText());
          target.replaceWithText(applyEdits(target.getFullText(), [{ start: at, end: at, text }]));
        }
        for (const [target, names] of plan.platform)
          ensureImports(target, {
            add: [...names].filter((name) => new RegExp(`\\b${name}\\b`).test(target.getFullText())),
          });
        for (const [target, list] of plan.imports) {
          target
            .getProject()
            .manipulationSettings.set({ quoteKind: quoteOf(target) === '"' ? QuoteKind.Double : QuoteKind.Single });
          for (const { specifier, name, typeOnly } of list) {
            const local = name.split(' as ').at(-1)!;
            if (
              target
                .getImportDeclarations()
                .some((d) => d.getNamedImports().some((s) => (s.getAliasNode() ?? s.getNameNode()).getText() === local))
            )
              continue;
            const existing = target
              .getImportDeclarations()
              .find(
                (d) =>
                  d.getModuleSpecifierValue() === specifier && !d.isTypeOnly() && d.getNamespaceImport() === undefined,
              );
            if (existing !== undefined)
              existing.addNamedImport({
                name: name.split(' as ')[0]!,
                ...(name.includes(' as ') ? { alias: local } : {}),
                isTypeOnly: typeOnly,
              });
            else
              target.addImportDeclaration({
                moduleSpecifier: specifier,
                namedImports: [{ name: name.split(' as ')[0]!, ...(name.includes(' as ') ? { alias: local } : {}) }],
                isTypeOnly: typeOnly,
              });
          }
        }
        for (const target of touched.keys()) removeUnusedImports(target, touched.get(target)!);
        // The safety net: a rewrite that adds a compile error is undone and its routes are left.
        const newErrors = () =>
          [...touched.keys()]
            .filter((target) => !context.isJavaScript(target))
            .flatMap((target) => context.newErrors(target).map((error) => `${rel(target)}: ${error}`));
        let errors = newErrors();
        // Reads of optional values the old code read untyped, after checks the compiler cannot carry into a callback: `!` there.
        const asserted =
          errors.length === 0
            ? []
            : assertOptionalReads(
                [...touched.keys()].filter((target) => !context.isJavaScript(target)),
                plan.converted,
              );
        if (asserted.length > 0) errors = newErrors();
        if (errors.length > 0) {
          if (process.env.ORG_PLATFORM_MIGRATE_DEBUG === '1')
            for (const target of touched.keys())
              process.stderr.write(`--- ${rel(target)}\n${target.getFullText()}\n${errors.join('\n')}\n`);
          // Each error inside a route's new declaration is that route's; the others are everyone's.
          const blame = blameDeclarations(
            file,
            plan.converted.map((route) => route.name),
          );
          for (const [target, text] of touched) target.replaceWithText(text);
          const blamed = plan.converted.filter((route) => blame.has(route.name));
          for (const route of blamed.length === 0 ? plan.converted : blamed)
            decided.set(route.site.key, {
              path: rel(route.site.file),
              line: route.site.line,
              method: route.site.method,
              route: route.site.path ?? '?',
              converted: false,
              reason: `the rewritten route would not compile (${(blame.get(route.name) ?? errors[0]!).split('\n')[0]!.slice(0, 240)})`,
            });
          continue;
        }
        for (const route of plan.converted) {
          const reads = asserted.filter((read) => read.route === route.name).map((read) => read.text);
          const note =
            reads.length === 0
              ? undefined
              : `${reads.join(', ')} marked present (!): optional values the old handler read untyped, after its own checks`;
          decided.set(route.site.key, {
            path: rel(route.site.file),
            line: route.site.line,
            method: route.site.method,
            route: route.site.path ?? '?',
            converted: true,
            reason: undefined,
            ...(note === undefined ? {} : { note }),
          });
        }
      } catch (error) {
        for (const [target, text] of touched) target.replaceWithText(text);
        for (const site of unit)
          decided.set(site.key, {
            path: rel(site.file),
            line: site.line,
            method: site.method,
            route: site.path ?? '?',
            converted: false,
            reason: `the migration failed on it (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
          });
      }
    }
    // The routes left get their marker above the statement (above its JSDoc), once; markers of routes now declared go.
    for (const file of relevant) {
      const sites = findRouteSites(file, rel(file));
      const edits: Edit[] = [];
      const byStatement = new Map<Node, RouteSite[]>();
      for (const site of sites) byStatement.set(site.statement, [...(byStatement.get(site.statement) ?? []), site]);
      for (const [statement, list] of byStatement) {
        const reasons = list
          .map((site) => decided.get(site.key))
          .filter((o): o is RouteOutcome => o !== undefined && !o.converted);
        if (reasons.length === 0) continue;
        const existing = existingMarker(statement);
        const indent = /^[ \t]*/.exec(
          file.getFullText().slice(file.getFullText().lastIndexOf('\n', statement.getStart(true) - 1) + 1),
        )![0];
        const wanted = list
          .filter((site) => !decided.get(site.key)?.converted)
          .map((site) => todoComment(markerFor(site, decided.get(site.key)?.reason ?? 'left'), indent))
          .join('\n');
        if (existing !== undefined && existing.text === wanted) continue;
        if (existing !== undefined) edits.push({ start: existing.start, end: existing.end, text: `${wanted}\n` });
        else
          edits.push({
            start: statement.getStart(true),
            end: statement.getStart(true),
            text: `${wanted.trimStart()}\n${indent}`,
          });
      }
      // A document that still reads descriptions (of routes left) is the other deprecated use: marked once.
      for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
        const options = call.getArguments()[0];
        if (
          !isPlatformExport(call.getExpression(), 'createOpenApiDocument') ||
          !Node.isObjectLiteralExpression(options) ||
          options.getProperty('routes') === undefined
        )
          continue;
        const statement = statementOf(call);
        if (existingMarker(statement) !== undefined) continue;
        const indent = /^[ \t]*/.exec(
          file.getFullText().slice(file.getFullText().lastIndexOf('\n', statement.getStart(true) - 1) + 1),
        )![0];
        edits.push({
          start: statement.getStart(true),
          end: statement.getStart(true),
          text: `${todoComment(`${DEP002}: createOpenApiDocument({ routes }) still reads RouteDescriptions of routes left as they were; once they are declared, pass routeGroups only`, indent).trimStart()}\n${indent}`,
        });
      }
      if (edits.length > 0) file.replaceWithText(applyEdits(file.getFullText(), edits));
    }
    return [...decided.values()].sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  },
};

// Up to three passes (a fix can let the compiler see the next read): the reads get `!`, by route.
function assertOptionalReads(files: readonly SourceFile[], routes: readonly RoutePlan[]): OptionalRead[] {
  const typedParts = new Map(
    routes
      .filter((route) => route.partTypes.size > 0)
      .map((route) => [route.name, new Set(route.partTypes.keys())] as const),
  );
  const asserted: OptionalRead[] = [];
  for (let pass = 0; pass < 3 && typedParts.size > 0; pass += 1) {
    let found = 0;
    for (const file of files) {
      const reads = optionalReads(file, typedParts);
      if (reads.length === 0) continue;
      file.replaceWithText(
        applyEdits(
          file.getFullText(),
          reads.map((read) => read.edit),
        ),
      );
      asserted.push(...reads);
      found += reads.length;
    }
    if (found === 0) break;
  }
  return asserted;
}

// The compile errors that fall inside each named `defineRoute()` declaration of the file, by name.
function blameDeclarations(file: SourceFile, names: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  const declarations = file
    .getDescendantsOfKind(SyntaxKind.VariableDeclaration)
    .filter((d) => names.includes(d.getName()) && d.getInitializer()?.getText().startsWith('defineRoute(') === true);
  for (const diagnostic of file.getPreEmitDiagnostics()) {
    if (diagnostic.getCategory() !== DiagnosticCategory.Error || diagnostic.getSourceFile() !== file) continue;
    const start = diagnostic.getStart() ?? -1;
    const owner = declarations.find((d) => start >= d.getStart() && start <= d.getEnd());
    if (owner === undefined || found.has(owner.getName())) continue;
    const message = diagnostic.getMessageText();
    found.set(owner.getName(), `${rel(file)}: ${typeof message === 'string' ? message : message.getMessageText()}`);
  }
  return found;

  function rel(target: SourceFile): string {
    return target.getBaseName();
  }
}

// Imports our edits left unused (names used before, not after); the file's other imports stay as they were.
function removeUnusedImports(file: SourceFile, before: string): void {
  const count = (text: string, name: string) =>
    (text.match(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g')) ?? []).length;
  for (const declaration of file.getImportDeclarations()) {
    for (const specifier of declaration.getNamedImports()) {
      const local = (specifier.getAliasNode() ?? specifier.getNameNode()).getText();
      const used = file
        .getDescendantsOfKind(SyntaxKind.Identifier)
        .some((id) => id.getText() === local && id.getFirstAncestorByKind(SyntaxKind.ImportDeclaration) === undefined);
      if (!used && count(before, local) > 1) specifier.remove();
    }
    if (
      declaration.getNamedImports().length === 0 &&
      declaration.getDefaultImport() === undefined &&
      declaration.getNamespaceImport() === undefined &&
      declaration.getImportClause() !== undefined
    )
      declaration.remove();
  }
}
