import type { ErrorCodeRegistry } from './codes.js';
import { errorCategory } from './categories.js';

/**
 * The error-code table as Markdown (code, status, error, default message, meaning), from one or
 * more registries. The README keeps it, and a test keeps the two in step.
 */
export function renderErrorCodeTable(registries: readonly ErrorCodeRegistry<string>[]): string {
  const rows = registries.flatMap((registry) =>
    Object.entries(registry.codes).map(
      ([code, def]) =>
        `| \`${code}\` | ${def.status} | \`${errorCategory(def.status)}\` | ${def.message} | ${def.description.replace(/\|/g, '\\|')} |`,
    ),
  );
  return ['| code | status | error | default message | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}
