// The service's configuration schema, read from the built packages (`pnpm run build` runs before
// the checks): which variables are secrets and which accept a file (NAME_FILE), so the deploy
// files are checked against the variables the service really reads.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * @param {string} root the repository root
 * @returns {Promise<{ secrets: string[], fileVariables: Map<string, string> }>} secret names, and NAME_FILE → NAME
 */
export async function serviceConfigVariables(root) {
  const platform = join(root, 'packages', 'platform', 'dist', 'index.js');
  const service = join(root, 'packages', 'service', 'dist', 'config.js');
  for (const file of [platform, service]) if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm run build\` first`);
  const { describeConfig } = await import(pathToFileURL(platform).href);
  const { allConfigFields } = await import(pathToFileURL(service).href);
  const rows = describeConfig(allConfigFields);
  return {
    secrets: rows.filter((r) => r.secret).map((r) => r.name),
    fileVariables: new Map(rows.filter((r) => r.fileVariable).map((r) => [r.fileVariable, r.name])),
  };
}
