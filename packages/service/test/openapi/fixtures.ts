// The service as the OpenAPI checks see it: a real HTTP server over the embedded database, its
// published document, and tokens of real callers. The tools run as the npm packages install them,
// with no network: Redocly's telemetry and update check are off.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqlEntityRepository } from '../../src/entities/index.js';
import { as, buildApp } from '../fixtures/app.js';
import { testDatabase } from '../fixtures/databases.js';
import { listen, type RunningServer } from '../fixtures/http.js';

/** A running service, its document (also written to a file for the command-line tools) and a scratch folder. */
export interface DocumentedService {
  readonly server: RunningServer;
  readonly document: Record<string, unknown>;
  readonly documentFile: string;
  readonly dir: string;
  close(): Promise<void>;
}

export async function startDocumentedService(): Promise<DocumentedService> {
  const database = testDatabase('pglite');
  await database.reset();
  const server = await listen(buildApp(createSqlEntityRepository(database.db)).app);
  const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as Record<string, unknown>;
  const dir = mkdtempSync(join(tmpdir(), 'openapi-checks-'));
  const documentFile = join(dir, 'openapi.json');
  writeFileSync(documentFile, JSON.stringify(document, null, 2));
  return {
    server,
    document,
    documentFile,
    dir,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The bearer token of a caller (a real RS256 session token the service verifies). */
export function tokenOf(userId: string): string {
  return as(userId).Authorization.slice('Bearer '.length);
}

const require = createRequire(import.meta.url);

/** The path of a package's command-line script, as npm would link it. */
export function binOf(pkg: string, bin: string): string {
  const manifest = require(`${pkg}/package.json`) as { bin: string | Record<string, string> };
  const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[bin];
  if (relative === undefined) throw new Error(`${pkg} has no ${bin} command`);
  return join(require.resolve(`${pkg}/package.json`), '..', relative);
}

/** An environment for the tools: this PATH only, and no telemetry or update checks. */
export const TOOL_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  NO_COLOR: '1',
};
