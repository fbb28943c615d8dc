import { Node } from 'ts-morph';
import type { RoutePlan } from './plan-route.js';
import type { Edit } from './text.js';

/**
 * The whole lines of a statement, for removal: with its leading comments when `withComments`.
 * With `closeGap` (nothing takes its place), when a blank line is on both sides the one after goes
 * too, so that no double blank line is left.
 */
export function statementLines(statement: Node, withComments = true, closeGap = false): Edit {
  const text = statement.getSourceFile().getFullText();
  const start = withComments
    ? statement.getFullStart() +
      (text.slice(statement.getFullStart(), statement.getStart()).match(/^\s*\n/)?.[0].length ?? 0)
    : statement.getStart();
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const from = text.slice(lineStart, start).trim() === '' ? lineStart : start;
  let end = statement.getEnd();
  const newline = text.indexOf('\n', end);
  if (newline !== -1 && text.slice(end, newline).trim() === '') end = newline + 1;
  if (closeGap && from === lineStart && end === newline + 1) {
    const blankBefore = /\n[ \t]*\n$/.test(text.slice(0, from));
    const blankAfter = /^[ \t]*\n/.exec(text.slice(end));
    if (blankBefore && blankAfter !== null) end += blankAfter[0].length;
  }
  return { start: from, end, text: '' };
}

/** An import or export specifier, with the comma and space after it, for removal. */
export function specifierRemoval(specifier: Node): Edit {
  return listItemRemoval(specifier, '}');
}

/** An element of an array literal, with the comma and space after it, for removal. */
export function elementRemoval(element: Node): Edit {
  return listItemRemoval(element, ']');
}

/** A property of an object literal, with the comma and space after it, for removal. */
export function propertyRemoval(property: Node): Edit {
  return listItemRemoval(property, '}');
}

function listItemRemoval(item: Node, close: string): Edit {
  const text = item.getSourceFile().getFullText();
  let end = item.getEnd();
  while (/[\s,]/.test(text[end] ?? '') && text[end] !== close) end += 1;
  return { start: item.getStart(), end, text: '' };
}

/**
 * The comment lines right above a registration that leaves (not a link of a chain that stays),
 * as written, each ending its line: they say what the route does, so they go with its declaration.
 */
export function registrationComments(statement: Node, run: readonly RoutePlan[]): string {
  const links = run.filter((plan) => plan.site.statement === statement);
  if (links[0]?.site.creationChain === true || links[0]?.site.chainRoot !== undefined) return '';
  const text = statement.getSourceFile().getFullText();
  const from = statementLines(statement).start;
  const comments = text.slice(from, statement.getStart());
  return comments.trim() === '' || links.length === 0 || comments.includes('TODO(org-platform)')
    ? ''
    : comments.replace(/[ \t]+$/, '');
}

/**
 * The whole lines of a declaration and of its JSDoc, for removal. Other comments above it stay:
 * they may speak of more than it (a file's opening comment).
 */
export function declarationLines(statement: Node): Edit {
  const removal = statementLines(statement, false, true);
  const docs = Node.isJSDocable(statement) ? statement.getJsDocs() : [];
  if (docs.length === 0) return removal;
  const text = statement.getSourceFile().getFullText();
  const lineStart = text.lastIndexOf('\n', docs[0]!.getStart() - 1) + 1;
  return {
    ...removal,
    start: text.slice(lineStart, docs[0]!.getStart()).trim() === '' ? lineStart : docs[0]!.getStart(),
  };
}

/** The whole lines of an object's property (with its comments and the comma after it), for removal. */
export function propertyLines(property: Node): Edit {
  const text = property.getSourceFile().getFullText();
  let start = property.getFullStart();
  // From the line after the previous property's comma: its comments go with it.
  start += text.slice(start, property.getStart()).match(/^[^\n]*\n/)?.[0].length ?? 0;
  let end = property.getEnd();
  if (text[end] === ',') end += 1;
  const newline = text.indexOf('\n', end);
  if (newline !== -1 && text.slice(end, newline).trim() === '') end = newline + 1;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (text.slice(lineStart, start).trim() !== '') return propertyRemoval(property);
  // Right after the object's `{` or a blank line, a blank line that follows goes too.
  const blankAfter = /^[ \t]*\n/.exec(text.slice(end));
  if (blankAfter !== null && /(?:\{|\n[ \t]*)\n$/.test(text.slice(0, lineStart))) end += blankAfter[0].length;
  return { start: lineStart, end, text: '' };
}
