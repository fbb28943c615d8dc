import { runProcess } from '../consumer/run-process.js';

/** The state of the project's git work tree. */
export type TreeState =
  { readonly repository: false } | { readonly repository: true; readonly dirty: readonly string[] };

/**
 * Whether `root` is in a git work tree and, if so, what is uncommitted (`git status --porcelain`,
 * untracked files included): an upgrade's changes should be the only changes to review.
 *
 * @example
 * const tree = await treeState(process.cwd(), process.env);
 * if (tree.repository && tree.dirty.length > 0) refuse();
 */
export async function treeState(root: string, env: NodeJS.ProcessEnv): Promise<TreeState> {
  const inside = await runProcess('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, env });
  if (inside.code !== 0 || inside.stdout.trim() !== 'true') return { repository: false };
  const status = await runProcess('git', ['status', '--porcelain', '--untracked-files=normal', '--', '.'], {
    cwd: root,
    env,
  });
  if (status.code !== 0) throw new Error(`git status failed: ${status.output.trim()}`);
  return { repository: true, dirty: status.stdout.split('\n').filter((line) => line.trim() !== '') };
}
