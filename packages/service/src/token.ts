import { readFileSync } from 'node:fs';
import { LOCAL_AUTH_DIR, SERVICE_ENV_FILE } from './local-data.js';
import { runTokenCommand } from './token-command.js';

// Entry point of `npm run token` (root and service package.json): prints a local-mode session token.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

process.exitCode = runTokenCommand({
  argv: process.argv.slice(2),
  env: process.env,
  envFile: SERVICE_ENV_FILE,
  keyDir: LOCAL_AUTH_DIR,
  version: pkg.version,
  stdout: process.stdout,
  stderr: process.stderr,
});
