import type { ProbeResponse } from '../client.js';
import { verdict, type CheckContext, type CheckVerdict, type ConformanceCheck } from '../check.js';
import { jsonTypeProblems, noStoreProblems, objectBody } from '../expect.js';
import type { OperationalRoute } from '../types.js';

/** Calls an operational route; answers the verdict for a missing route, or the response. */
async function fetchRoute(ctx: CheckContext, route: OperationalRoute): Promise<ProbeResponse | CheckVerdict> {
  const res = await ctx.client.send('GET', route);
  if (res.status !== 404) return res;
  if (ctx.required.has(route)) {
    return verdict([
      `GET ${route} is missing (404): the contract requires it on every service (mount the platform's health routes)`,
    ]);
  }
  return { skip: `GET ${route} is not present (404) and not required` };
}

function isResponse(value: ProbeResponse | CheckVerdict): value is ProbeResponse {
  return 'status' in value;
}

const healthz: ConformanceCheck = {
  id: 'healthz',
  title: 'GET /healthz answers 200 {"status":"ok"}',
  async run(ctx) {
    const res = await fetchRoute(ctx, '/healthz');
    if (!isResponse(res)) return res;
    const problems: string[] = [];
    if (res.status !== 200) problems.push(`GET /healthz: status ${res.status}, expected 200`);
    problems.push(...jsonTypeProblems(res), ...noStoreProblems(res));
    const body = objectBody(res, problems);
    if (body !== undefined && body.status !== 'ok')
      problems.push(`GET /healthz: body.status is ${JSON.stringify(body.status)}, expected "ok"`);
    return verdict(problems);
  },
};

function readyChecksProblems(checks: unknown, problems: string[]): string[] {
  const failing: string[] = [];
  if (typeof checks !== 'object' || checks === null || Array.isArray(checks)) {
    problems.push('GET /readyz: body.checks is not an object of named checks');
    return failing;
  }
  for (const [name, check] of Object.entries(checks as Record<string, unknown>)) {
    const { status, duration_ms: duration } = (check ?? {}) as { status?: unknown; duration_ms?: unknown };
    if (status !== 'ok' && status !== 'error')
      problems.push(`GET /readyz: checks.${name}.status is ${JSON.stringify(status)}, expected "ok" or "error"`);
    if (typeof duration !== 'number') problems.push(`GET /readyz: checks.${name}.duration_ms is not a number`);
    if (status === 'error') failing.push(name);
  }
  return failing;
}

const readyz: ConformanceCheck = {
  id: 'readyz',
  title: 'GET /readyz answers 200 "ready" (or 503 "not_ready") with named checks',
  async run(ctx) {
    const res = await fetchRoute(ctx, '/readyz');
    if (!isResponse(res)) return res;
    const problems: string[] = [];
    if (res.status !== 200 && res.status !== 503)
      problems.push(`GET /readyz: status ${res.status}, expected 200 or 503`);
    problems.push(...jsonTypeProblems(res), ...noStoreProblems(res));
    const body = objectBody(res, problems);
    if (body === undefined) return verdict(problems);
    const expectedStatus = res.status === 503 ? 'not_ready' : 'ready';
    if (body.status !== expectedStatus)
      problems.push(
        `GET /readyz: body.status is ${JSON.stringify(body.status)}, expected "${expectedStatus}" with HTTP ${res.status}`,
      );
    const failing = readyChecksProblems(body.checks, problems);
    if (res.status === 503 && (ctx.options.expectReady ?? true)) {
      problems.push(`GET /readyz: the service is not ready (failing checks: ${failing.join(', ') || 'none named'})`);
    }
    return verdict(problems);
  },
};

const VERSION_FIELDS = [
  'service_name',
  'version',
  'commit',
  'build_time',
  'environment',
  'platform_version',
  'node_version',
] as const;
const DEPRECATION_CODE = /^ORG_PLATFORM_DEP\d{3}$/;

function deprecationsProblems(value: unknown): string[] {
  if (!Array.isArray(value))
    return [
      'GET /version: body.deprecations is missing or not an array (the codes of deprecated platform APIs in use, [] when none)',
    ];
  const bad = value.filter((code) => typeof code !== 'string' || !DEPRECATION_CODE.test(code));
  return bad.length === 0
    ? []
    : [`GET /version: body.deprecations has entries that are not ORG_PLATFORM_DEPnnn codes: ${JSON.stringify(bad)}`];
}

const version: ConformanceCheck = {
  id: 'version',
  title:
    'GET /version reports service_name, version, commit, build_time, environment, platform_version, node_version and deprecations',
  async run(ctx) {
    const res = await fetchRoute(ctx, '/version');
    if (!isResponse(res)) return res;
    const problems: string[] = [];
    if (res.status !== 200) problems.push(`GET /version: status ${res.status}, expected 200`);
    problems.push(...jsonTypeProblems(res), ...noStoreProblems(res));
    const body = objectBody(res, problems);
    if (body === undefined) return verdict(problems);
    for (const field of VERSION_FIELDS) {
      if (typeof body[field] !== 'string' || body[field] === '')
        problems.push(`GET /version: body.${field} is missing or not a non-empty string`);
    }
    problems.push(...deprecationsProblems(body.deprecations));
    const expected = ctx.options.expectedVersion;
    if (expected !== undefined && body.version !== expected)
      problems.push(`GET /version: version is ${JSON.stringify(body.version)}, expected "${expected}"`);
    if (typeof body.environment === 'string') ctx.facts.environment = body.environment;
    return verdict(problems);
  },
};

/** The operational-route checks, `/version` first so later checks know the environment. @internal */
export const operationalChecks: readonly ConformanceCheck[] = [version, healthz, readyz];
