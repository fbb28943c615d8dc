import type { Node } from 'ts-morph';

/** The indentation of the line a node starts on. */
export function indentOf(node: Node): string {
  const text = node.getSourceFile().getFullText();
  const lineStart = text.lastIndexOf('\n', node.getStart() - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
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
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end))
    out = out.slice(0, edit.start - base) + edit.text + out.slice(edit.end - base);
  return out;
}
