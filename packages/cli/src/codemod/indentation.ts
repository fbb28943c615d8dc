/**
 * The smallest indentation of the text's code lines (not the ` * ` of block comments): one level,
 * as the file writes it. Two spaces when the text has none.
 *
 * @example
 * indentUnitOf('function f() {\n    return 1;\n}\n'); // '    '
 */
export function indentUnitOf(text: string): string {
  const indents = text.split('\n').flatMap((line) => {
    const indent = /^([ \t]+)\S/.exec(line)?.[1];
    return indent === undefined || /^\s*\*/.test(line) ? [] : [indent];
  });
  if (indents.some((indent) => indent.startsWith('\t'))) return '\t';
  const smallest = Math.min(...indents.map((indent) => indent.length));
  return Number.isFinite(smallest) && smallest >= 2 ? ' '.repeat(Math.min(smallest, 8)) : '  ';
}
