import { createTwoFilesPatch } from 'diff';
import type { MigrationRun, RegistryReport } from './run-migrations.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The run's one summary line: how many routes were converted and which were left and why; when
 * the run met imports of names a release moved, how many were moved and which were left and why;
 * and the files that could not be read.
 *
 * @example
 * summaryOf(run); // 'converted 10 of 11 routes; 1 left: GET /search (src/orders/routes.ts:89): …'
 * summaryOf(run); // 'moved 3 of 4 imports; 1 left: HealthCheckFn (src/health.ts:2): …'
 */
export function summaryOf(run: MigrationRun): string {
  const parts: string[] = [];
  if (run.routes.length > 0 || (run.imports.length === 0 && run.options.length === 0 && run.registries.length === 0)) {
    const converted = run.routes.filter((route) => route.converted).length;
    const left = run.routes.filter((route) => !route.converted);
    const reasons = left.map(
      (route) =>
        `${route.method.toUpperCase()} ${route.route} (${route.path}:${route.line}): ${route.reason ?? 'left'}`,
    );
    parts.push(
      `converted ${converted} of ${plural(run.routes.length, 'route')}; ${left.length} left${left.length === 0 ? '' : `: ${reasons.join('; ')}`}`,
    );
  }
  if (run.imports.length > 0) {
    const moved = run.imports.filter((item) => item.converted).length;
    const left = run.imports.filter((item) => !item.converted);
    const reasons = left.map((item) => `${item.name} (${item.path}:${item.line}): ${item.reason ?? 'left'}`);
    parts.push(
      `moved ${moved} of ${plural(run.imports.length, 'import')}; ${left.length} left${left.length === 0 ? '' : `: ${reasons.join('; ')}`}`,
    );
  }
  if (run.options.length > 0) {
    const rewritten = run.options.filter((item) => item.converted).length;
    const left = run.options.filter((item) => !item.converted);
    const reasons = left.map((item) => `${item.name} (${item.path}:${item.line}): ${item.reason ?? 'left'}`);
    parts.push(
      `rewrote ${rewritten} of ${plural(run.options.length, 'removed option')}; ${left.length} left${left.length === 0 ? '' : `: ${reasons.join('; ')}`}`,
    );
  }
  if (run.registries.length > 0) {
    const registries = run.registries.filter((item) => item.subject === 'registry');
    const registered = registries.filter((item) => item.converted).length;
    const left = registries.filter((item) => !item.converted);
    const codes = run.registries.filter((item) => item.subject === 'code');
    const reasons = (items: readonly RegistryReport[]) =>
      items.map((item) => `${item.name} (${item.path}:${item.line}): ${item.reason ?? 'left'}`).join('; ');
    const count = `${registries.length} error ${registries.length === 1 ? 'registry' : 'registries'}`;
    if (registries.length > 0)
      parts.push(
        `registered ${registered} of ${count}; ${left.length} left${left.length === 0 ? '' : `: ${reasons(left)}`}`,
      );
    if (codes.length > 0) parts.push(`${plural(codes.length, 'error code')} in no registry: ${reasons(codes)}`);
  }
  if (run.failed.length > 0) parts.push(`${plural(run.failed.length, 'file')} could not be read`);
  return parts.join('; ');
}

/**
 * What a run did, as data (`migrate --json`): the routes converted and left (with the reason),
 * the imports moved and left (with the reason), the files changed, the files that could not be
 * handled, and the summary line.
 *
 * @example
 * io.stdout(runJson(run));
 */
export function runJson(run: MigrationRun): string {
  return `${JSON.stringify(
    {
      migrations: run.migrations.map((m) => ({ id: m.id, version: m.version })),
      files: run.files,
      changed: run.changed.map((file) => file.path),
      routes: run.routes.map(({ path, line, method, route, converted, reason, note, migration }) => ({
        migration,
        path,
        line,
        method,
        route,
        converted,
        reason: reason ?? null,
        note: note ?? null,
      })),
      imports: run.imports.map(({ path, line, name, from, to, converted, reason, migration }) => ({
        migration,
        path,
        line,
        name,
        from,
        to,
        converted,
        reason: reason ?? null,
      })),
      options: run.options.map(({ path, line, name, to, converted, reason, migration }) => ({
        migration,
        path,
        line,
        name,
        to,
        converted,
        reason: reason ?? null,
      })),
      registries: run.registries.map(({ path, line, subject, name, codes, converted, reason, migration }) => ({
        migration,
        path,
        line,
        subject,
        name,
        codes,
        converted,
        reason: reason ?? null,
      })),
      failed: run.failed,
      summary: summaryOf(run),
    },
    null,
    2,
  )}\n`;
}

/**
 * What a run did, for people: the files changed (or the diff, on a dry run), each route converted
 * and each left with its reason and the migration's note, then the summary line.
 *
 * @example
 * io.stdout(describeRun(run, { dryRun: false }));
 */
export function describeRun(run: MigrationRun, { dryRun }: { dryRun: boolean }): string {
  const lines: string[] = [];
  if (run.migrations.length === 0) return 'no migrations in that range: nothing to do\n';
  lines.push(`migrations: ${run.migrations.map((m) => `${m.id} (${m.version})`).join(', ')}; ${run.files} files read`);
  if (dryRun)
    for (const file of run.changed)
      lines.push(
        createTwoFilesPatch(`a/${file.path}`, `b/${file.path}`, file.before, file.after, undefined, undefined, {
          context: 3,
        })
          .replace(/^=+\n/, '')
          .trimEnd(),
      );
  if (run.changed.length === 0) lines.push('no file changed');
  else
    lines.push(
      `${dryRun ? 'would change' : 'changed'} ${run.changed.length} file${run.changed.length === 1 ? '' : 's'}: ${run.changed.map((f) => f.path).join(', ')}`,
    );
  for (const failed of run.failed) lines.push(`could not handle ${failed.path}: ${failed.reason}`);
  const converted = run.routes.filter((route) => route.converted);
  if (converted.length > 0) {
    lines.push('converted:');
    for (const route of converted)
      lines.push(
        `  ${route.method.toUpperCase()} ${route.route}  ${route.path}:${route.line}${route.note === undefined ? '' : `  (${route.note})`}`,
      );
  }
  const moved = run.imports.filter((item) => item.converted);
  if (moved.length > 0) {
    lines.push('imports moved:');
    for (const item of moved) lines.push(`  ${item.name}  ${item.from} → ${item.to ?? '?'}  ${item.path}:${item.line}`);
  }
  const rewritten = run.options.filter((item) => item.converted);
  if (rewritten.length > 0) {
    lines.push('options rewritten:');
    for (const item of rewritten) lines.push(`  ${item.name} → ${item.to ?? '?'}  ${item.path}:${item.line}`);
  }
  const registered = run.registries.filter((item) => item.converted);
  if (registered.length > 0) {
    lines.push('error registries registered:');
    for (const item of registered) lines.push(`  ${item.name} (${item.codes.join(', ')})  ${item.path}:${item.line}`);
  }
  if (run.left.length > 0) {
    lines.push(`left for you (${run.left.length}, marked TODO(org-platform)):`);
    for (const place of run.left) lines.push(`  ${place.path}:${place.line}  ${place.reason}`);
    for (const migration of new Set(run.left.map((place) => place.migration))) {
      const note = run.left.find((place) => place.migration === migration)!.note;
      lines.push(`  ${migration}: ${note}`);
    }
  }
  if (
    run.routes.length > 0 ||
    run.imports.length > 0 ||
    run.options.length > 0 ||
    run.registries.length > 0 ||
    run.failed.length > 0
  )
    lines.push(summaryOf(run));
  return `${lines.join('\n')}\n`;
}
