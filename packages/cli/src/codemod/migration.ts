import type { SourceFile } from 'ts-morph';

/** A place a migration could not rewrite safely: it left the code compiling, marked `TODO(org-platform)`. */
export interface LeftPlace {
  /** 1-based line in the file as the migration left it. */
  readonly line: number;
  /** What was left and why, one sentence. */
  readonly reason: string;
}

/** What a migration gets besides the file. */
export interface MigrationContext {
  /**
   * The compile errors the file has now and did not have before the migrations started (the
   * safety net: a rewrite that adds one is undone and the place is left marked instead).
   */
  readonly newErrors: (file: SourceFile) => readonly string[];
  /** Whether the file is JavaScript (no types: only the syntactic rules apply). */
  readonly isJavaScript: (file: SourceFile) => boolean;
}

/** What a migration over the whole project gets besides its files. */
export interface ProjectContext extends MigrationContext {
  /** The project root: report paths are relative to it. */
  readonly root: string;
  /** A file the migration could not handle: reported with its path and the reason, and the run goes on. */
  readonly fileFailed: (file: SourceFile, error: unknown) => void;
}

/** One route a migration found: converted, or left with the reason. */
export interface RouteOutcome {
  readonly kind?: 'route';
  /** Relative to the project root, with `/`. */
  readonly path: string;
  /** 1-based line of its registration, as the file was before the run. */
  readonly line: number;
  readonly method: string;
  /** The path as registered. */
  readonly route: string;
  readonly converted: boolean;
  /** Why it was left; undefined when converted. */
  readonly reason: string | undefined;
  /** What a reader of the converted route should know (a rewrite beyond the pattern's own). */
  readonly note?: string;
}

/** One imported (or re-exported) name a migration found: rewritten to its new entry point, or left with the reason. */
export interface ImportOutcome {
  readonly kind: 'import';
  /** Relative to the project root, with `/`. */
  readonly path: string;
  /** 1-based line of the name, as the file was before this migration. */
  readonly line: number;
  /** The platform's name (`*` for `export * from`). */
  readonly name: string;
  /** The entry point it was imported from: `@org/platform`. */
  readonly from: string;
  /** Where it is imported from now; null when left. */
  readonly to: string | null;
  readonly converted: boolean;
  /** Why it was left; undefined when converted. */
  readonly reason: string | undefined;
}

/** One use of an option a release removed (`createServiceApp({ health })`): rewritten, or left with the reason. */
export interface OptionOutcome {
  readonly kind: 'option';
  /** Relative to the project root, with `/`. */
  readonly path: string;
  /** 1-based line of the option, as the file was before this migration. */
  readonly line: number;
  /** The function and option: `createServiceApp({ health })`. */
  readonly name: string;
  /** What it became: `createServiceApp({ lifecycle })`; null when left. */
  readonly to: string | null;
  readonly converted: boolean;
  readonly reason: string | undefined;
}

/**
 * One `defineErrorCodes()` registry the routes' `errors` need registered (`ErrorRegistries`):
 * registered, or left with the reason; or a code the routes name that no registry of the project
 * defines (left).
 */
export interface RegistryOutcome {
  readonly kind: 'registry';
  /** A registry (registered or left), or a code no registry defines (always left). */
  readonly subject: 'registry' | 'code';
  /** Relative to the project root, with `/`: the registry's file (a code left: the route's). */
  readonly path: string;
  /** 1-based line of the registry (a code left: of the route's `errors`), as the file was before this migration. */
  readonly line: number;
  /** The registry's name (`orderErrors`); for a code left, the code. */
  readonly name: string;
  /** The codes the routes name that it defines. */
  readonly codes: readonly string[];
  readonly converted: boolean;
  readonly reason: string | undefined;
}

/** What a migration answers for each thing it found: a route, an import, an option, or an error registry. */
export type Outcome = RouteOutcome | ImportOutcome | OptionOutcome | RegistryOutcome;

/**
 * A codemod over the project (through ts-morph): rewrites what it can across files (a route, its
 * handler's module, the document that described it; an import) and answers each thing it found.
 */
export interface Migration {
  /** A quick look at a file's text: false when the migration has nothing to do in it (then it is not type-checked). */
  readonly appliesTo: (text: string) => boolean;
  readonly migrateProject: (files: readonly SourceFile[], context: ProjectContext) => readonly Outcome[];
}

/** One entry of the manifest (`migrations/manifest.ts`), in the spirit of nx's `migrations.json`. */
export interface MigrationEntry {
  /** Stable id: `route-declaration`. */
  readonly id: string;
  /** The `@org/platform` version that needs it: it runs when an upgrade crosses this version. */
  readonly version: string;
  /** What it does, one line. */
  readonly description: string;
  /** The deprecation codes (`ORG_PLATFORM_DEPnnn`) whose APIs it moves away from. */
  readonly deprecations: readonly string[];
  /** The changelog's migration note: what to do by hand where the codemod left a place. */
  readonly note: string;
  /** The codemod, loaded only when it runs. */
  readonly implementation: () => Promise<Migration>;
}
