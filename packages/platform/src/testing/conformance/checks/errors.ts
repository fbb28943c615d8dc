import { randomUUID } from 'node:crypto';
import { verdict, type ConformanceCheck } from '../check.js';
import { errorShapeProblems } from '../expect.js';

const unknownRoute: ConformanceCheck = {
  id: 'unknown-route',
  title: 'an unknown route answers 404 ROUTE_NOT_FOUND in the unified error shape',
  async run(ctx) {
    const res = await ctx.client.send('GET', `/conformance-unknown-${randomUUID()}`);
    return verdict(errorShapeProblems(res, { status: 404, error: 'NOT_FOUND', code: 'ROUTE_NOT_FOUND' }));
  },
};

const wrongMethod: ConformanceCheck = {
  id: 'wrong-method',
  title: 'a wrong method answers 405 METHOD_NOT_ALLOWED with an Allow header',
  async run(ctx) {
    const res = await ctx.client.send('DELETE', '/healthz');
    const problems = errorShapeProblems(res, { status: 405, error: 'METHOD_NOT_ALLOWED', code: 'METHOD_NOT_ALLOWED' });
    const allow = (res.headers.get('allow') ?? '').split(',').map((m) => m.trim().toUpperCase());
    if (!allow.includes('GET'))
      problems.push(`DELETE /healthz: Allow is "${res.headers.get('allow') ?? ''}", expected it to list GET`);
    return verdict(problems);
  },
};

const malformedJson: ConformanceCheck = {
  id: 'malformed-json',
  title: 'a malformed JSON body answers 400 INVALID_JSON',
  async run(ctx) {
    const path = ctx.options.malformedJsonPath ?? '/healthz';
    const res = await ctx.client.send('POST', path, {
      headers: { 'content-type': 'application/json' },
      body: '{"conformance": ',
    });
    return verdict(errorShapeProblems(res, { status: 400, error: 'BAD_REQUEST', code: 'INVALID_JSON' }));
  },
};

const missingAuth: ConformanceCheck = {
  id: 'missing-auth',
  title: 'a protected route without a token answers 401 AUTH_MISSING_TOKEN',
  async run(ctx) {
    const route = ctx.options.protectedRoute;
    if (route === undefined) return { skip: 'no protectedRoute given' };
    const method = route.method.toUpperCase();
    // A valid JSON body, so that only the missing token can be the reason for the answer.
    const init = ['POST', 'PUT', 'PATCH'].includes(method)
      ? { headers: { 'content-type': 'application/json' }, body: '{}' }
      : {};
    const res = await ctx.client.send(method, route.path, init);
    return verdict(errorShapeProblems(res, { status: 401, error: 'UNAUTHORIZED', code: 'AUTH_MISSING_TOKEN' }));
  },
};

/** The error-shape checks. @internal */
export const errorChecks: readonly ConformanceCheck[] = [unknownRoute, wrongMethod, malformedJson, missingAuth];
