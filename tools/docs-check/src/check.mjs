// Checks the references of a set of markdown docs against a scope of files.
import { anchorsOf, referencesOf } from './references.mjs';
import { resolveIn } from './resolve.mjs';

/**
 * @param {{ scope: import('./resolve.mjs').Scope, docs: string[], read: (path: string) => string, roots: (doc: string) => string[], ignored?: (paths: string[]) => boolean, where: string }} options
 *   `read` gives a file of the scope; `roots` the folders (besides the doc's own) a path may start
 *   from; `ignored` says whether a path is a generated or local file the scope deliberately lacks.
 * @returns {string[]} problems, `doc:line: ...`
 */
export function checkDocs({ scope, docs, read, roots, ignored = () => false, where }) {
  const problems = [];
  const anchors = new Map();
  const anchorsIn = (path) => {
    if (!anchors.has(path)) anchors.set(path, anchorsOf(read(path)));
    return anchors.get(path);
  };
  for (const doc of docs) {
    for (const ref of referencesOf(read(doc))) {
      const [rawPath, anchor] = ref.target.split('#');
      const path = decodeURI(rawPath ?? '');
      const at = `${doc}:${ref.line}`;
      if (ref.kind === 'link' && path === '') {
        if (anchor && !anchorsIn(doc).has(anchor))
          problems.push(`${at}: link "#${anchor}" names no heading of this doc`);
        continue;
      }
      const resolved = resolveIn(scope, doc, path, { roots: roots(doc), bare: ref.kind === 'name' });
      if (resolved === undefined) {
        if (ref.kind === 'name' && ignored([path, ...roots(doc).map((root) => `${root}/${path}`)])) continue;
        problems.push(`${at}: ${ref.kind === 'link' ? 'link' : 'file name'} "${path}" resolves to nothing ${where}`);
        continue;
      }
      if (anchor && /\.md$/.test(resolved) && scope.files.has(resolved) && !anchorsIn(resolved).has(anchor))
        problems.push(`${at}: link "${ref.target}": ${resolved} has no heading "#${anchor}"`);
    }
  }
  return problems;
}
