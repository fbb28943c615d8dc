import { performance } from 'node:perf_hooks';
import type { CheckContext, ConformanceCheck } from './check.js';
import { errorChecks } from './checks/errors.js';
import { headerChecks } from './checks/headers.js';
import { idempotencyChecks } from './checks/idempotency.js';
import { operationalChecks } from './checks/operational.js';
import { createProbeClient } from './client.js';
import { serveEphemeral, type EphemeralServer } from './serve.js';
import type {
  ConformanceCheckResult,
  ConformanceOptions,
  ConformanceReport,
  ConformanceTarget,
  OperationalRoute,
} from './types.js';

const DEFAULT_REQUIRED: readonly OperationalRoute[] = ['/healthz', '/readyz', '/version'];
const CHECKS: readonly ConformanceCheck[] = [
  ...operationalChecks,
  ...errorChecks,
  ...idempotencyChecks,
  ...headerChecks,
];

async function runCheck(check: ConformanceCheck, ctx: CheckContext): Promise<ConformanceCheckResult> {
  const started = performance.now();
  const base = { id: check.id, title: check.title };
  try {
    const outcome = await check.run(ctx);
    const durationMs = Math.round(performance.now() - started);
    if ('skip' in outcome) return { ...base, status: 'skip', problems: [], reason: outcome.skip, durationMs };
    return { ...base, status: outcome.problems.length === 0 ? 'pass' : 'fail', problems: outcome.problems, durationMs };
  } catch (error) {
    // A target that cannot be reached fails the check with the reason, it does not crash the run.
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, status: 'fail', problems: [message], durationMs: Math.round(performance.now() - started) };
  }
}

/**
 * Runs the fleet conformance checks against an in-process app or a running service and returns
 * a structured report (it never throws for a failing check; see {@link assertConformance}).
 * Checks: `/healthz`, `/readyz`, `/version` and their bodies; the unified error shape on an
 * unknown route (404), a wrong method (405 + `Allow`), malformed JSON (400 `INVALID_JSON`) and a
 * missing token (401 `AUTH_MISSING_TOKEN`); with an `idempotentRoute`, a repeated `Idempotency-Key`
 * replayed byte for byte (`Idempotent-Replayed: true`), its reuse with another body (422
 * `IDEMPOTENCY_KEY_REUSED`) and malformed keys (400 `IDEMPOTENCY_KEY_INVALID`); security headers;
 * CORS; `X-Request-ID` everywhere.
 *
 * @example
 * const report = await runConformance({ app }, { protectedRoute: { method: 'GET', path: '/api/v1/orders' } });
 * if (!report.passed) process.exitCode = 1;
 *
 * @example
 * const report = await runConformance({ baseUrl: 'https://orders.staging.example.com' }, { allowedOrigin: 'https://app.example.com' });
 */
export async function runConformance(
  target: ConformanceTarget,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const started = performance.now();
  let server: EphemeralServer | undefined;
  if ('app' in target) server = await serveEphemeral(target.app);
  const baseUrl = server?.baseUrl ?? (target as { baseUrl: string }).baseUrl;
  const ctx: CheckContext = {
    client: createProbeClient(baseUrl, options.timeoutMs ?? 5000),
    options,
    required: new Set(options.requiredRoutes ?? DEFAULT_REQUIRED),
    facts: {},
  };
  const checks: ConformanceCheckResult[] = [];
  try {
    // One after the other: the request-id check reads every response the earlier ones received.
    for (const check of CHECKS) checks.push(await runCheck(check, ctx));
  } finally {
    await server?.close();
  }
  const count = (status: ConformanceCheckResult['status']): number => checks.filter((c) => c.status === status).length;
  const summary = { passed: count('pass'), failed: count('fail'), skipped: count('skip') };
  return {
    target: ctx.client.baseUrl,
    passed: summary.failed === 0,
    summary,
    checks,
    durationMs: Math.round(performance.now() - started),
  };
}
