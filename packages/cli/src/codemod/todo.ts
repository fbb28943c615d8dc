/** The marker of a place left for a person; a second run finds it and adds nothing. */
export const TODO = 'TODO(org-platform)';

/**
 * `// TODO(org-platform): <message>` as comment lines of at most `width` columns (continuation
 * lines indented under the message), so that a long reason stays readable.
 *
 * @example
 * todoComment('ORG_PLATFORM_DEP001: GET /search: the handler calls next() …', '  ');
 */
export function todoComment(message: string, indent: string, width = 100): string {
  const lines: string[] = [];
  let line = `${indent}// ${TODO}:`;
  for (const word of message.split(/\s+/)) {
    if (line.length + 1 + word.length > width && line.trim() !== `// ${TODO}:` && line.trim() !== '//') {
      lines.push(line);
      line = `${indent}//  `;
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}
