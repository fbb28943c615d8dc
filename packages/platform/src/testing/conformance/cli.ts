#!/usr/bin/env node
// `org-platform-conformance <url>`: the conformance kit against a running service (a staging URL),
// for CI jobs and for people. Exit 0 when conformant, 1 when a check fails, 2 on bad usage.
import { parseArgs } from 'node:util';
import { formatConformanceReport } from './report.js';
import { runConformance } from './run-conformance.js';
import type { ConformanceOptions, OperationalRoute } from './types.js';

const USAGE = `usage: org-platform-conformance <base-url> [options]

  --origin <origin>         an origin the service allows for CORS (enables the CORS check)
  --protected "<M> <path>"  a route that needs a token, e.g. "GET /api/v1/entities"
  --require <routes>        operational routes that must exist (default /healthz,/readyz,/version)
  --expect-version <v>      the release /version must report
  --expect-hsts <yes|no>    whether HSTS must be sent (default: from /version's environment)
  --allow-not-ready         a 503 from /readyz does not fail the run
  --malformed-json-path <p> where the malformed JSON body is sent (default /healthz)
  --timeout <ms>            per-request time limit (default 5000)
  --json                    print the report as JSON
`;
const ROUTES = new Set<string>(['/healthz', '/readyz', '/version']);

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function parse(argv: readonly string[]): { url: string; options: ConformanceOptions; json: boolean } {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      origin: { type: 'string' },
      protected: { type: 'string' },
      require: { type: 'string' },
      'expect-version': { type: 'string' },
      'expect-hsts': { type: 'string' },
      'allow-not-ready': { type: 'boolean' },
      'malformed-json-path': { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const url = positionals[0];
  if (url === undefined || positionals.length > 1) fail('expected exactly one base URL');
  if (!/^https?:\/\/[^/\s]+/.test(url)) fail(`not an http(s) URL: ${url}`);
  const options: { -readonly [K in keyof ConformanceOptions]: ConformanceOptions[K] } = {};
  if (values.origin !== undefined) options.allowedOrigin = values.origin;
  if (values.protected !== undefined) {
    const match = /^([A-Za-z]+)\s+(\/\S*)$/.exec(values.protected.trim());
    if (match === null) fail(`--protected must look like "GET /api/v1/entities", got "${values.protected}"`);
    options.protectedRoute = { method: match[1]!.toUpperCase(), path: match[2]! };
  }
  if (values.require !== undefined) {
    const routes = values.require.split(',').map((r) => r.trim()).filter((r) => r !== '');
    const unknown = routes.filter((r) => !ROUTES.has(r));
    if (unknown.length > 0) fail(`--require accepts /healthz, /readyz, /version; got ${unknown.join(', ')}`);
    options.requiredRoutes = routes as OperationalRoute[];
  }
  if (values['expect-version'] !== undefined) options.expectedVersion = values['expect-version'];
  if (values['expect-hsts'] !== undefined) {
    if (!['yes', 'no'].includes(values['expect-hsts'])) fail('--expect-hsts takes yes or no');
    options.expectHsts = values['expect-hsts'] === 'yes';
  }
  if (values['allow-not-ready'] === true) options.expectReady = false;
  if (values['malformed-json-path'] !== undefined) options.malformedJsonPath = values['malformed-json-path'];
  if (values.timeout !== undefined) {
    const ms = Number(values.timeout);
    if (!Number.isInteger(ms) || ms <= 0) fail(`--timeout must be a positive integer of milliseconds, got ${values.timeout}`);
    options.timeoutMs = ms;
  }
  return { url, options, json: values.json === true };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const report = await runConformance({ baseUrl: parsed.url }, parsed.options);
  process.stdout.write(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : formatConformanceReport(report));
  process.exitCode = report.passed ? 0 : 1;
}

await main();
