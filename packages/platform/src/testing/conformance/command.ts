import { parseArgs } from 'node:util';
import { formatConformanceReport } from './report.js';
import { runConformance } from './run-conformance.js';
import type { ConformanceOptions, IdempotentRouteRef, OperationalRoute } from './types.js';

/** Options of {@link runConformanceCommand}. */
export interface ConformanceCommandOptions {
  /** How the usage names the command. @default 'org-platform-conformance' */
  readonly name?: string;
  /** Where the report and `--help` go. @default process.stdout */
  readonly stdout?: (text: string) => void;
  /** Where usage errors go. @default process.stderr */
  readonly stderr?: (text: string) => void;
}

const usage = (name: string): string => `usage: ${name} <base-url> [options]

  --origin <origin>         an origin the service allows for CORS (enables the CORS check)
  --protected "<M> <path>"  a route that needs a token, e.g. "GET /api/v1/entities"
  --idempotent "<M> <path>" a create route that takes Idempotency-Key (enables the idempotency
                            check; creates one resource), e.g. "POST /api/v1/entities"
  --idempotent-body <json>  a body it accepts
  --idempotent-other-body <json>  another body it accepts (for the key-reuse check)
  --header "<Name: value>"  a header for the idempotency check's requests (repeatable), e.g. Authorization
  --require <routes>        operational routes that must exist (default /healthz,/readyz,/version)
  --expect-version <v>      the release /version must report
  --expect-hsts <yes|no>    whether HSTS must be sent (default: from /version's environment)
  --allow-not-ready         a 503 from /readyz does not fail the run
  --malformed-json-path <p> where the malformed JSON body is sent (default /healthz)
  --timeout <ms>            per-request time limit (default 5000)
  --json                    print the report as JSON
  -h, --help                this text

Exit 0 when the service conforms, 1 when a check fails, 2 on bad usage.
`;
const ROUTES = new Set<string>(['/healthz', '/readyz', '/version']);

function routeRef(flag: string, value: string): { method: string; path: string } {
  const match = /^([A-Za-z]+)\s+(\/\S*)$/.exec(value.trim());
  if (match === null) throw new Error(`${flag} must look like "GET /api/v1/entities", got "${value}"`);
  return { method: match[1]!.toUpperCase(), path: match[2]! };
}

function jsonFlag(flag: string, value: string | undefined): unknown {
  if (value === undefined) throw new Error(`--idempotent needs ${flag}`);
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new Error(`${flag} must be JSON, got ${value}`);
  }
}

function idempotentRoute(values: {
  idempotent?: string;
  'idempotent-body'?: string;
  'idempotent-other-body'?: string;
  header?: string[];
}): IdempotentRouteRef {
  const headers: Record<string, string> = {};
  for (const header of values.header ?? []) {
    const colon = header.indexOf(':');
    if (colon < 1) throw new Error(`--header must look like "Name: value", got "${header}"`);
    headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
  }
  return {
    ...routeRef('--idempotent', values.idempotent!),
    body: jsonFlag('--idempotent-body', values['idempotent-body']),
    otherBody: jsonFlag('--idempotent-other-body', values['idempotent-other-body']),
    headers,
  };
}

type Parsed =
  | { readonly help: true }
  | { readonly help: false; readonly url: string; readonly options: ConformanceOptions; readonly json: boolean };

function parse(argv: readonly string[]): Parsed {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      origin: { type: 'string' },
      protected: { type: 'string' },
      idempotent: { type: 'string' },
      'idempotent-body': { type: 'string' },
      'idempotent-other-body': { type: 'string' },
      header: { type: 'string', multiple: true },
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
  if (values.help === true) return { help: true };
  const url = positionals[0];
  if (url === undefined || positionals.length > 1) throw new Error('expected exactly one base URL');
  if (!/^https?:\/\/[^/\s]+/.test(url)) throw new Error(`not an http(s) URL: ${url}`);
  const options: { -readonly [K in keyof ConformanceOptions]: ConformanceOptions[K] } = {};
  if (values.origin !== undefined) options.allowedOrigin = values.origin;
  if (values.protected !== undefined) options.protectedRoute = routeRef('--protected', values.protected);
  if (values.idempotent !== undefined) options.idempotentRoute = idempotentRoute(values);
  else if (
    values['idempotent-body'] !== undefined ||
    values['idempotent-other-body'] !== undefined ||
    values.header !== undefined
  )
    throw new Error('--idempotent-body, --idempotent-other-body and --header go with --idempotent');
  if (values.require !== undefined) {
    const routes = values.require
      .split(',')
      .map((r) => r.trim())
      .filter((r) => r !== '');
    const unknown = routes.filter((r) => !ROUTES.has(r));
    if (unknown.length > 0) throw new Error(`--require accepts /healthz, /readyz, /version; got ${unknown.join(', ')}`);
    options.requiredRoutes = routes as OperationalRoute[];
  }
  if (values['expect-version'] !== undefined) options.expectedVersion = values['expect-version'];
  if (values['expect-hsts'] !== undefined) {
    if (!['yes', 'no'].includes(values['expect-hsts'])) throw new Error('--expect-hsts takes yes or no');
    options.expectHsts = values['expect-hsts'] === 'yes';
  }
  if (values['allow-not-ready'] === true) options.expectReady = false;
  if (values['malformed-json-path'] !== undefined) options.malformedJsonPath = values['malformed-json-path'];
  if (values.timeout !== undefined) {
    const ms = Number(values.timeout);
    if (!Number.isInteger(ms) || ms <= 0)
      throw new Error(`--timeout must be a positive integer of milliseconds, got ${values.timeout}`);
    options.timeoutMs = ms;
  }
  return { help: false, url, options, json: values.json === true };
}

/**
 * The conformance kit as a command line: parses the arguments of `org-platform-conformance`
 * (`<base-url> --origin … --protected "GET /path" --json …`), runs the kit against the URL, prints
 * the report and resolves with the exit code: 0 conformant, 1 a check failed, 2 bad usage (the
 * usage is printed). The `org-platform-conformance` bin and `org-platform conformance` (from
 * `@org/platform-cli`) are this function.
 *
 * @example
 * process.exitCode = await runConformanceCommand(process.argv.slice(2), { name: 'org-platform conformance' });
 */
export async function runConformanceCommand(
  args: readonly string[],
  options: ConformanceCommandOptions = {},
): Promise<number> {
  const name = options.name ?? 'org-platform-conformance';
  const stdout = options.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  let parsed: Parsed;
  try {
    parsed = parse(args);
  } catch (error) {
    // parseArgs throws TypeErrors for unknown or malformed options: bad usage as well.
    stderr(`${error instanceof Error ? error.message : String(error)}\n\n${usage(name)}`);
    return 2;
  }
  if (parsed.help) {
    stdout(usage(name));
    return 0;
  }
  const report = await runConformance({ baseUrl: parsed.url }, parsed.options);
  stdout(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : formatConformanceReport(report));
  return report.passed ? 0 : 1;
}
