import { readFileSync } from 'node:fs';
import { LOCAL_AUTH_DIR } from './local-data.js';
import { runTokenCommand } from './token-command.js';

// Entry point of `npm run token` (root and service package.json): prints a local-mode session token.
// It reads the `.env` of the folder it runs in, as the service does: the repository root under
// `npm start` and `npm run token` there.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

process.exitCode = runTokenCommand({
  argv: process.argv.slice(2),
  env: process.env,
  envFile: '.env',
  keyDir: LOCAL_AUTH_DIR,
  version: pkg.version,
  stdout: process.stdout,
  stderr: process.stderr,
});
