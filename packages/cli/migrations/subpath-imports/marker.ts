import type { Statement } from 'ts-morph';
import { TODO, todoComment } from '../../src/codemod/todo.js';

// The comment lines directly above a statement (its JSDoc and other comments included).
function commentsAbove(statement: Statement): string {
  return statement
    .getLeadingCommentRanges()
    .map((range) => range.getText())
    .join('\n');
}

/**
 * The text to insert above the statement: `// TODO(org-platform): <line>` for each line it does
 * not carry yet (so that a second run adds nothing); undefined when it carries them all.
 *
 * @example
 * markerAbove(importDeclaration, ['HealthCheckFn is internal in @org/platform 1.0: …']);
 */
export function markerAbove(
  statement: Statement,
  lines: readonly string[],
): { start: number; text: string } | undefined {
  const present = commentsAbove(statement).replace(/\n\s*\/\/\s+/g, ' ');
  const missing = lines.filter((line) => !present.includes(`${TODO}: ${line}`));
  if (missing.length === 0) return undefined;
  const text = statement.getSourceFile().getFullText();
  const start = statement.getStart(true);
  const indent = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', start - 1) + 1))![0];
  return {
    start,
    text: `${missing
      .map((line) => todoComment(line, indent))
      .join('\n')
      .trimStart()}\n${indent}`,
  };
}
