import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Project, ts, type SourceFile } from 'ts-morph';

const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
const JAVASCRIPT = /\.(?:[cm]?js|jsx)$/;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/** The consumer's sources, loaded with their types: the files under `paths`, nothing else is written. */
export interface ConsumerProject {
  readonly project: Project;
  /** The files migrations may rewrite, in path order. */
  readonly files: readonly SourceFile[];
  readonly root: string;
}

// The source files under a folder, without node_modules, .git, the build output and symbolic
// links (a linked package would bring a whole workspace along).
function sourcesUnder(dir: string, excluded: readonly string[]): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name) && !excluded.includes(path))
      found.push(...sourcesUnder(path, excluded));
    else if (entry.isFile() && SOURCE.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) found.push(path);
  }
  return found;
}

function isUnder(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Loads the project at `root` for the migrations: with its `tsconfig.json` when there is one (so
 * types resolve as `tsc` resolves them), else with defaults that read JavaScript; then the
 * TypeScript and JavaScript files under `paths` (default: the root), without `node_modules`,
 * declaration files and the build's `outDir`.
 *
 * @example
 * const { files } = loadConsumerProject('/repo/orders-service', ['src']);
 */
export function loadConsumerProject(root: string, paths: readonly string[]): ConsumerProject {
  const tsconfig = join(root, 'tsconfig.json');
  const project = existsSync(tsconfig)
    ? new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true, compilerOptions: { allowJs: true } })
    : new Project({
        compilerOptions: {
          allowJs: true,
          checkJs: false,
          module: ts.ModuleKind.NodeNext,
          moduleResolution: ts.ModuleResolutionKind.NodeNext,
          target: ts.ScriptTarget.ES2022,
          strict: true,
          skipLibCheck: true,
        },
      });
  const outDir = project.getCompilerOptions().outDir;
  const excluded = outDir === undefined ? [] : [resolve(root, outDir)];
  const targets = (paths.length === 0 ? ['.'] : paths).map((path) => resolve(root, path));
  for (const target of targets) {
    if (!existsSync(target)) throw new Error(`${relative(root, target) || target}: no such file or directory`);
    for (const path of statSync(target).isFile() ? [target] : sourcesUnder(target, excluded))
      project.addSourceFileAtPath(path);
  }
  // Types resolve from the files they import; only the selected sources are migrated.
  project.resolveSourceFileDependencies();
  const files = project
    .getSourceFiles()
    .filter((file) => {
      const path = file.getFilePath();
      if (!SOURCE.test(path) || file.isDeclarationFile() || path.split('/').some((part) => SKIPPED_DIRS.has(part)))
        return false;
      if (excluded.some((dir) => isUnder(path, dir))) return false;
      return targets.some((target) => isUnder(path, target));
    })
    .sort((a, b) => a.getFilePath().localeCompare(b.getFilePath()));
  return { project, files, root };
}

/** Whether a file is JavaScript. */
export function isJavaScriptFile(file: SourceFile): boolean {
  return JAVASCRIPT.test(file.getFilePath());
}

/**
 * The files a migration has to do with: those its quick look (`appliesTo`) picks, and those that
 * import one of them (a routes module that registers the validators of a module of validators
 * never names `validate` itself).
 *
 * @example
 * relatedFiles(files, (text) => /\bvalidate\b/.test(text));
 */
export function relatedFiles(files: readonly SourceFile[], appliesTo: (text: string) => boolean): SourceFile[] {
  const picked = new Set(files.filter((file) => appliesTo(file.getFullText())));
  const importers = files.filter(
    (file) =>
      !picked.has(file) &&
      file.getImportDeclarations().some((declaration) => {
        const target = declaration.getModuleSpecifierSourceFile();
        return target !== undefined && picked.has(target);
      }),
  );
  return files.filter((file) => picked.has(file) || importers.includes(file));
}
