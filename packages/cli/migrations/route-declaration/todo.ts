import type { Node } from 'ts-morph';
import { indentOf } from './text.js';

/** The marker of a place left for a person; a second run finds it and adds nothing. */
export const TODO = 'TODO(org-platform)';

/** The statement (or class member) a node belongs to: where a marker comment goes. */
export function statementOf(node: Node): Node {
  let current = node;
  for (;;) {
    const parent = current.getParent();
    if (parent === undefined || parent.getKindName() === 'SourceFile' || parent.getKindName() === 'Block' || parent.getKindName() === 'CaseClause' || parent.getKindName() === 'ModuleBlock') return current;
    current = parent;
  }
}

/** Whether the statement already carries the marker in its leading comments. */
export function isMarked(statement: Node): boolean {
  return statement.getLeadingCommentRanges().some((range) => range.getText().includes(TODO));
}

/**
 * Puts `// TODO(org-platform): <message>` above the statement, once.
 *
 * @example
 * markTodo(statementOf(call), 'ORG_PLATFORM_DEP001: declare this route with defineRoute (the handler writes the response itself)');
 */
export function markTodo(statement: Node, message: string): void {
  if (isMarked(statement)) return;
  const file = statement.getSourceFile();
  file.insertText(statement.getStart(), `// ${TODO}: ${message}\n${indentOf(statement)}`);
}
