// The service's configuration schema, read from the built packages (`pnpm run build` runs before
// the checks): which variables are secrets and which accept a file (NAME_FILE), so the deploy
// files are checked against the variables the service really reads.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * @param {string} root the repository root
 * @param {{ config?: string, fields?: string }} [which] the service's built config module (from the
 *   root) and the export holding its own fields (default: the entities service's `allConfigFields`)
 * @returns {Promise<{ secrets: string[], fileVariables: Map<string, string> }>} secret names, and NAME_FILE → NAME
 */
export async function serviceConfigVariables(
  root,
  { config = 'packages/service/dist/config.js', fields = 'allConfigFields' } = {},
) {
  // @org/platform's root and its @org/platform/config subpath, as built.
  const platform = join(root, 'packages', 'platform', 'dist', 'index.js');
  const platformConfig = join(root, 'packages', 'platform', 'dist', 'public', 'config.js');
  const service = join(root, config);
  for (const file of [platform, platformConfig, service])
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm run build\` first`);
  const { platformConfigFields } = await import(pathToFileURL(platform).href);
  const { describeConfig } = await import(pathToFileURL(platformConfig).href);
  const rows = describeConfig({ ...platformConfigFields, ...(await import(pathToFileURL(service).href))[fields] });
  return {
    secrets: rows.filter((r) => r.secret).map((r) => r.name),
    fileVariables: new Map(rows.filter((r) => r.fileVariable).map((r) => [r.fileVariable, r.name])),
  };
}
