// What a markdown doc points at: the targets of its links and the file names written in its text
// and inline code (fenced code blocks are commands and code, not references). Parsed with marked.
import { Lexer } from 'marked';
import GithubSlugger from 'github-slugger';

// A file name: optional folders, then a name with an extension files in this repository use.
// Not followed by `(`: `express.json()` is a call, not a file.
const FILE_NAME =
  /(?<![\w@/.:-])(?:\.{1,2}\/)?(?:[\w.*-]+\/)*[\w*-][\w.*-]*\.(?:md|ts|mts|mjs|cjs|js|json|ya?ml|sql|toml|sh|tgz)(?![\w/(-])/g;
// Not a reference to a file of ours: absolute paths, placeholders, URLs, home folders, and
// product names that look like file names.
const NOT_A_REFERENCE = /[<>{}$…~]|^\/|:\/\/|^Node\.js$/;

/**
 * @typedef {{ kind: 'link' | 'name', target: string, line: number }} Reference
 * A link target (path and optional `#anchor`) or a file name as written, with its line.
 */

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

/**
 * The links and file names of one markdown text.
 * @param {string} text
 * @returns {Reference[]}
 */
export function referencesOf(text) {
  const found = [];
  const seen = new Map();
  // Each token's raw text is found in the source from where the previous one of the same text was.
  const locate = (raw) => {
    const from = seen.get(raw) ?? 0;
    const at = text.indexOf(raw, from);
    seen.set(raw, at === -1 ? from : at + raw.length);
    return at === -1 ? 1 : lineOf(text, at);
  };
  const names = (words, line) => {
    for (const match of words.matchAll(FILE_NAME)) {
      if (!NOT_A_REFERENCE.test(match[0]) && !/^\d/.test(match[0]))
        found.push({ kind: 'name', target: match[0], line });
    }
  };
  const walk = (tokens) => {
    for (const token of tokens ?? []) {
      if (token.type === 'code' || token.type === 'html') continue;
      if (token.type === 'link' || token.type === 'image') {
        const line = locate(token.raw);
        if (!/^[a-z][a-z0-9+.-]*:/i.test(token.href) && !token.href.startsWith('//'))
          found.push({ kind: 'link', target: token.href, line });
        walk(token.tokens);
        continue;
      }
      if (token.type === 'codespan') names(token.text, locate(token.raw));
      else if (token.type === 'text' && token.tokens === undefined) names(token.text, locate(token.raw));
      walk(token.tokens);
      if (token.type === 'list') walk(token.items);
      if (token.type === 'table') for (const cell of [...token.header, ...token.rows.flat()]) walk(cell.tokens);
    }
  };
  walk(Lexer.lex(text));
  return found;
}

/**
 * The anchors GitHub makes for the headings of a markdown text.
 * @param {string} text
 * @returns {Set<string>}
 */
export function anchorsOf(text) {
  const slugger = new GithubSlugger();
  return new Set(
    Lexer.lex(text)
      .filter((t) => t.type === 'heading')
      .map((t) => slugger.slug(t.text.replace(/`/g, ''))),
  );
}
