// Whether a reference resolves in a set of files (the repository's, or a tarball's).
import { dirname, join, normalize, posix } from 'node:path';

/** A glob of one file name (`*` within a path segment) as a RegExp. */
function globPattern(path) {
  return new RegExp(
    `^${path
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  );
}

/**
 * @typedef {{ files: Set<string>, folders: Set<string>, basenames: Set<string> }} Scope
 * The files of a scope, as paths relative to its root, and the folders and base names among them.
 */

/** @param {Iterable<string>} paths relative, `/`-separated @returns {Scope} */
export function scopeOf(paths) {
  const files = new Set();
  const folders = new Set();
  const basenames = new Set();
  for (const path of paths) {
    files.add(path);
    basenames.add(posix.basename(path));
    for (let dir = posix.dirname(path); dir !== '.'; dir = posix.dirname(dir)) folders.add(dir);
  }
  return { files, folders, basenames };
}

function exists(scope, path) {
  const clean = posix.normalize(path).replace(/\/$/, '');
  if (clean.startsWith('..')) return false;
  if (clean.includes('*')) {
    const pattern = globPattern(clean);
    return [...scope.files].some((file) => pattern.test(file));
  }
  return scope.files.has(clean) || scope.folders.has(clean) || clean === '.';
}

/**
 * Where a reference written in `doc` may point, first match wins: beside the doc, from one of the
 * `roots` (the doc's package, the repository), or, for a bare file name, any file of that name.
 * @param {Scope} scope
 * @param {string} doc the doc's path in the scope
 * @param {string} target the path as written (no anchor)
 * @param {{ roots: string[], bare: boolean }} options
 * @returns {string | undefined} the path it resolved to
 */
export function resolveIn(scope, doc, target, { roots, bare }) {
  const docDir = dirname(doc);
  const candidates = [
    normalize(join(docDir, target)).replaceAll('\\', '/'),
    ...roots.map((root) => normalize(join(root, target)).replaceAll('\\', '/')),
  ];
  const hit = candidates.find((candidate) => exists(scope, candidate));
  if (hit !== undefined) return hit;
  if (
    bare &&
    !target.includes('/') &&
    (scope.basenames.has(target) ||
      (target.includes('*') && [...scope.basenames].some((name) => globPattern(target).test(name))))
  )
    return target;
  return undefined;
}
