import { relative } from 'node:path';
import { DiagnosticCategory, type SourceFile } from 'ts-morph';
import type {
  ImportOutcome,
  MigrationEntry,
  OptionOutcome,
  Outcome,
  RegistryOutcome,
  RouteOutcome,
} from './migration.js';
import { createFormatter } from './format.js';
import { isJavaScriptFile, loadConsumerProject, relatedFiles } from './project.js';

/** A file a run changed: its text before and after. */
export interface ChangedFile {
  /** Relative to the project root, with `/`. */
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

/** A place left for a person, with the migration's note. */
export interface LeftPlaceReport {
  readonly path: string;
  readonly line: number;
  readonly migration: string;
  readonly reason: string;
  readonly note: string;
}

/** A route a migration found, and what became of it. */
export interface RouteReport extends RouteOutcome {
  readonly migration: string;
}

/** An imported name a migration found, and what became of it. */
export interface ImportReport extends ImportOutcome {
  readonly migration: string;
}

/** A use of a removed option a migration found, and what became of it. */
export interface OptionReport extends OptionOutcome {
  readonly migration: string;
}

/** An error registry a migration registered (or a code it left), and what became of it. */
export interface RegistryReport extends RegistryOutcome {
  readonly migration: string;
}

/** A file that could not be handled: its path and why. The run went on. */
export interface FailedFile {
  readonly path: string;
  readonly reason: string;
}

/** What a run did. */
export interface MigrationRun {
  readonly migrations: readonly MigrationEntry[];
  readonly files: number;
  readonly changed: readonly ChangedFile[];
  /** Routes and imports left, as places marked TODO(org-platform), with the migration's note. */
  readonly left: readonly LeftPlaceReport[];
  /** Every route found, converted or left. */
  readonly routes: readonly RouteReport[];
  /** Every import of a moved or internal name found, rewritten or left. */
  readonly imports: readonly ImportReport[];
  /** Every use of a removed option found, rewritten or left. */
  readonly options: readonly OptionReport[];
  /** Every error registry the routes' codes need registered, registered or left (and every code no registry defines). */
  readonly registries: readonly RegistryReport[];
  readonly failed: readonly FailedFile[];
}

/** Options of {@link runMigrations}. */
export interface RunMigrationsOptions {
  /** The project root (its `tsconfig.json`, when any, is used). */
  readonly root: string;
  /** Files or folders to migrate, relative to the root. @default the root */
  readonly paths?: readonly string[];
  /** Compute the changes without writing them. @default false */
  readonly dryRun?: boolean;
}

// A diagnostic as text without its position, so that moved code keeps "the same" error.
function errorsOf(file: SourceFile): Map<string, number> {
  const counts = new Map<string, number>();
  for (const diagnostic of file.getPreEmitDiagnostics()) {
    if (diagnostic.getCategory() !== DiagnosticCategory.Error) continue;
    const message = diagnostic.getMessageText();
    const key = `${diagnostic.getCode()} ${typeof message === 'string' ? message : message.getMessageText()}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Runs the given migrations, oldest first, over the project's TypeScript and JavaScript files.
 * Each migration rewrites what it can (undoing any rewrite that would add a compile error) and
 * lists what it left; files are written once at the end, unless `dryRun`.
 *
 * @example
 * const run = await runMigrations(selectMigrations(MIGRATIONS, '0.1.0', '0.2.0'), { root: process.cwd() });
 */
export async function runMigrations(
  migrations: readonly MigrationEntry[],
  options: RunMigrationsOptions,
): Promise<MigrationRun> {
  const { files, root } = loadConsumerProject(options.root, options.paths ?? []);
  const before = new Map(files.map((file) => [file, file.getFullText()]));
  const baseline = new Map<SourceFile, Map<string, number>>();
  const context = {
    isJavaScript: isJavaScriptFile,
    newErrors(file: SourceFile): string[] {
      const known = baseline.get(file);
      if (known === undefined) throw new Error(`newErrors(): ${file.getFilePath()} has no baseline`);
      return [...errorsOf(file)]
        .filter(([key, count]) => count > (known.get(key) ?? 0))
        .map(([key]) => key.replace(/^\d+ /, ''));
    },
  };
  const left: LeftPlaceReport[] = [];
  const routes: RouteReport[] = [];
  const imports: ImportReport[] = [];
  const removedOptions: OptionReport[] = [];
  const registries: RegistryReport[] = [];
  const failed: FailedFile[] = [];
  const rel = (file: SourceFile) => relative(root, file.getFilePath()).split('\\').join('/');
  for (const entry of migrations) {
    const migration = await entry.implementation();
    // Type-checking is the slow part: only files the migration may touch, or that import one, get a baseline.
    for (const file of relatedFiles(files, migration.appliesTo))
      if (!baseline.has(file)) baseline.set(file, errorsOf(file));
    const projectContext = {
      ...context,
      root,
      newErrors(file: SourceFile): string[] {
        if (!baseline.has(file)) return [];
        return context.newErrors(file);
      },
      fileFailed(file: SourceFile, error: unknown) {
        failed.push({
          path: rel(file),
          reason: error instanceof Error ? error.message.split('\n')[0]! : String(error),
        });
      },
    };
    let outcomes: readonly Outcome[] = [];
    try {
      outcomes = migration.migrateProject(files, projectContext);
    } catch (error) {
      // The migration itself failed: every file it touched goes back as it was.
      for (const file of files) if (file.getFullText() !== before.get(file)) file.replaceWithText(before.get(file)!);
      failed.push({
        path: '.',
        reason: `${entry.id} failed: ${error instanceof Error ? error.message.split('\n')[0]! : String(error)}`,
      });
    }
    for (const outcome of outcomes) {
      if (outcome.kind === 'registry' || outcome.kind === 'option' || outcome.kind === 'import') {
        if (outcome.kind === 'registry') registries.push({ ...outcome, migration: entry.id });
        else if (outcome.kind === 'option') removedOptions.push({ ...outcome, migration: entry.id });
        else imports.push({ ...outcome, migration: entry.id });
        if (!outcome.converted) {
          const subject = outcome.kind === 'import' ? `${outcome.name} (${outcome.from})` : outcome.name;
          left.push({
            path: outcome.path,
            line: outcome.line,
            migration: entry.id,
            reason: `${subject}: ${outcome.reason ?? 'left'}`,
            note: entry.note,
          });
        }
        continue;
      }
      routes.push({ ...(outcome satisfies RouteOutcome), migration: entry.id });
      if (!outcome.converted)
        left.push({
          path: outcome.path,
          line: outcome.line,
          migration: entry.id,
          reason: `${outcome.method.toUpperCase()} ${outcome.route}: ${outcome.reason ?? 'left'}`,
          note: entry.note,
        });
    }
  }
  // The rewritten lines are formatted as the project formats (its Prettier configuration, or a default).
  const rewritten = files.filter((file) => file.getFullText() !== before.get(file));
  if (rewritten.length > 0) {
    const formatter = await createFormatter(root);
    for (const file of rewritten) {
      const formatted = await formatter.format(file.getFilePath(), before.get(file)!, file.getFullText());
      if (formatted !== file.getFullText()) file.replaceWithText(formatted);
    }
  }
  const changed: ChangedFile[] = [];
  for (const file of files) {
    const after = file.getFullText();
    const original = before.get(file)!;
    if (after !== original)
      changed.push({ path: relative(root, file.getFilePath()).split('\\').join('/'), before: original, after });
  }
  if (options.dryRun !== true)
    await Promise.all(files.filter((file) => file.getFullText() !== before.get(file)).map((file) => file.save()));
  return {
    migrations,
    files: files.length,
    changed,
    left,
    routes,
    imports,
    options: removedOptions,
    registries,
    failed,
  };
}
