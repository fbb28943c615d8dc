import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root, to read the real deploy files. */
export const root = resolve(import.meta.dirname, '..', '..', '..');
export const readRepo = (...p) => readFileSync(join(root, ...p), 'utf8');

/** Replaces one exact piece of text, failing loudly if it is not there (so a test cannot rot silently). */
export function mutate(text, from, to) {
  if (!text.includes(from)) throw new Error(`fixture text not found: ${from}`);
  return text.replace(from, to);
}

/** Writes files into a fresh temporary folder; returns their paths and a cleanup. */
export function tempFiles(files) {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-checks-test-'));
  const paths = Object.fromEntries(
    Object.entries(files).map(([name, text]) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return [name, p];
    }),
  );
  return { paths, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
