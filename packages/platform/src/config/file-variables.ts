import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { ConfigProblem } from './config-error.js';
import type { ConfigField } from './fields.js';

/**
 * The suffix of the variable that names a file holding another variable's value, as Docker
 * secrets and Kubernetes secret volumes deliver them (`POSTGRES_PASSWORD_FILE` in the postgres
 * image follows the same convention).
 */
export const FILE_VARIABLE_SUFFIX = '_FILE';

// Secrets are short: a PEM key is under 1 kB. The cap stops a path such as /dev/zero or a log
// file from being read whole.
const MAX_FILE_BYTES = 64 * 1024;

/**
 * The variable that may name a file holding `name`'s value (`NAME_FILE`), or `undefined` when
 * the field takes its value from the environment only. Secrets always accept a file.
 *
 * @internal
 */
export function fileVariableOf(
  name: string,
  field: Pick<ConfigField<unknown>, 'secret' | 'acceptsFile'>,
): string | undefined {
  return (field.acceptsFile ?? field.secret) ? `${name}${FILE_VARIABLE_SUFFIX}` : undefined;
}

/** Where a variable's raw text came from, or why it could not be read. @internal */
export type RawVariable =
  | { readonly kind: 'unset' }
  | { readonly kind: 'env'; readonly text: string }
  | { readonly kind: 'file'; readonly text: string; readonly path: string }
  | { readonly kind: 'problem'; readonly problem: ConfigProblem };

function isSet(text: string | undefined): text is string {
  return text !== undefined && text.trim() !== '';
}

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return code ?? 'unreadable';
}

/**
 * Reads at most {@link MAX_FILE_BYTES} of a regular file. Errors name the path and the reason,
 * never a byte of the content.
 */
function readSecretFile(path: string): { text: string } | { problem: string } {
  let fd: number | undefined;
  try {
    // A FIFO or a device would block the start or never end: only regular files (symlinks, as
    // Kubernetes mounts them, are followed).
    const stats = statSync(path);
    if (stats.isDirectory()) return { problem: `cannot read "${path}": it is a folder` };
    if (!stats.isFile()) return { problem: `cannot read "${path}": not a regular file` };
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_FILE_BYTES) return { problem: `"${path}" is larger than ${MAX_FILE_BYTES / 1024} KiB` };
    return { text: buffer.subarray(0, length).toString('utf8') };
  } catch (error) {
    return { problem: `cannot read "${path}": ${readProblem(error)}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The raw text of variable `name`: from the environment, or, when the field accepts files, from
 * the file `fileVariable` (`NAME_FILE`) names (content with one trailing newline trimmed). Both set, a file that
 * cannot be read and an empty file are problems naming the variable and the path, never the
 * content. An empty `NAME` or `NAME_FILE` counts as unset, as everywhere in the config.
 *
 * @internal
 */
export function readRawVariable(
  name: string,
  fileVariable: string | undefined,
  source: Readonly<Record<string, string | undefined>>,
): RawVariable {
  const text = source[name];
  const path = fileVariable === undefined ? undefined : source[fileVariable];
  if (fileVariable === undefined || !isSet(path)) return isSet(text) ? { kind: 'env', text } : { kind: 'unset' };
  const trimmedPath = path.trim();
  if (isSet(text)) {
    return {
      kind: 'problem',
      problem: {
        variable: name,
        message: `is set both directly and as ${fileVariable}="${trimmedPath}"; set only one`,
      },
    };
  }
  const read = readSecretFile(trimmedPath);
  if ('problem' in read) return { kind: 'problem', problem: { variable: fileVariable, message: read.problem } };
  const content = read.text.replace(/\r?\n$/, '');
  if (content.trim() === '')
    return {
      kind: 'problem',
      problem: { variable: fileVariable, message: `"${trimmedPath}" is empty (it must hold the value of ${name})` },
    };
  return { kind: 'file', text: content, path: trimmedPath };
}
