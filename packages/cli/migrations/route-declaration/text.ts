import { indentUnitOf } from '../../src/codemod/indentation.js';
import type { Node, SourceFile } from 'ts-morph';

/** The indentation of the line a node starts on. */
export function indentOf(node: Node): string {
  const text = node.getSourceFile().getFullText();
  const lineStart = text.lastIndexOf('\n', node.getStart() - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** One level of indentation as the file writes it (two spaces unless it uses something else). */
export function indentUnit(file: SourceFile): string {
  return indentUnitOf(file.getFullText());
}


/** The quote the file's imports use. */
export function quoteOf(file: SourceFile): string {
  const specifier = file.getImportDeclarations()[0]?.getModuleSpecifier().getText();
  return specifier?.startsWith('"') === true ? '"' : "'";
}

/** A string literal in the file's quote. */
export function literal(value: string, quote: string): string {
  return `${quote}${value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`)}${quote}`;
}

/** Moves a multi-line snippet that started at column `from` so that its continuation lines start at `to`. */
export function reindent(snippet: string, from: string, to: string): string {
  return snippet
    .split('\n')
    .map((line, index) => (index === 0 ? line : line.startsWith(from) ? to + line.slice(from.length) : line))
    .join('\n');
}

/** A text edit of a file: replace [start, end) with text. */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Applies non-overlapping edits to `text` (offsets relative to `base`). */
export function applyEdits(text: string, edits: readonly Edit[], base = 0): string {
  let out = text;
  // From the end backwards; at one offset the replacement first, then what is inserted before it.
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, edit.start - base) + edit.text + out.slice(edit.end - base);
  return out;
}

/** An object key as source: bare when it is an identifier, else a string literal. */
export function propertyKey(name: string, quote: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : literal(name, quote);
}
