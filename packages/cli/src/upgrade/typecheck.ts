import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runProcess } from '../consumer/run-process.js';

/** What `tsc --noEmit` said: skipped (no tsconfig, or no TypeScript installed), passed, or the errors. */
export type TypecheckResult =
  | { readonly ran: false; readonly why: string }
  | { readonly ran: true; readonly passed: boolean; readonly output: string };

/**
 * Runs the project's own TypeScript (`tsc --noEmit -p tsconfig.json`) when it has a tsconfig.json.
 *
 * @example
 * const result = await typecheck(process.cwd(), process.env);
 */
export async function typecheck(root: string, env: NodeJS.ProcessEnv): Promise<TypecheckResult> {
  if (!existsSync(join(root, 'tsconfig.json'))) return { ran: false, why: 'no tsconfig.json' };
  let tsc: string;
  try {
    tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return { ran: false, why: 'typescript is not installed in the project' };
  }
  const result = await runProcess(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json'], { cwd: root, env });
  return { ran: true, passed: result.code === 0, output: result.output.trim() };
}
