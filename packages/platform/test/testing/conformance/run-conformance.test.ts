import express from 'express';
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runConformance, type ConformanceReport } from '../../../src/testing/index.js';
import { bareApp, IDEMPOTENT_ROUTE, ORIGIN, platformApp, withoutReadyzAndVersion } from './fixtures.js';

function check(report: ConformanceReport, id: string) {
  const found = report.checks.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no check ${id}`);
  return found;
}

describe('runConformance', () => {
  it('passes every check against a platform app when given a protected route, an origin and an idempotent route', async () => {
    const report = await runConformance(
      { app: platformApp() },
      {
        protectedRoute: { method: 'GET', path: '/api/v1/things' },
        allowedOrigin: ORIGIN,
        expectedVersion: '1.2.3',
        idempotentRoute: IDEMPOTENT_ROUTE,
      },
    );
    expect(
      report.checks.filter((c) => c.status !== 'pass'),
      JSON.stringify(report.checks, null, 1),
    ).to.deep.equal([]);
    expect(report.passed).to.equal(true);
    expect(report.summary).to.deep.equal({ passed: 11, failed: 0, skipped: 0 });
    expect(report.target).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('skips the auth and CORS checks when no protected route or origin is named', async () => {
    const report = await runConformance({ app: platformApp() });
    expect(report.passed).to.equal(true);
    expect(check(report, 'missing-auth')).to.include({ status: 'skip', reason: 'no protectedRoute given' });
    expect(check(report, 'cors')).to.include({ status: 'skip', reason: 'no allowedOrigin given' });
    expect(check(report, 'idempotency')).to.include({ status: 'skip', reason: 'no idempotentRoute given' });
  });

  it('fails the idempotency check of a create route that ignores the key, saying what went wrong', async () => {
    const report = await runConformance(
      { app: platformApp() },
      { idempotentRoute: { ...IDEMPOTENT_ROUTE, path: '/api/v1/things' } },
    );
    expect(check(report, 'idempotency').status).to.equal('fail');
    const ignoring = express()
      .use(express.json())
      .post('/api/v1/plain', (req, res) => {
        res.status(201).json({ id: Math.random(), ...(req.body as object) });
      })
      // Quiet about the kit's malformed JSON probe.
      .use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        res.status(400).end();
      });
    const problems = check(
      await runConformance({ app: ignoring }, { idempotentRoute: { ...IDEMPOTENT_ROUTE, path: '/api/v1/plain' } }),
      'idempotency',
    ).problems;
    expect(problems).to.include(
      'POST /api/v1/plain repeated with the same key: the body differs from the recorded one',
    );
    expect(problems).to.include(
      'POST /api/v1/plain repeated with the same key: Idempotent-Replayed is missing, expected "true"',
    );
    expect(
      problems.some((p) =>
        p.startsWith('the same key with another body: POST /api/v1/plain: status 201, expected 422'),
      ),
    ).to.equal(true);
  });

  it('fails clearly when a required operational route is missing', async () => {
    const report = await runConformance({ app: withoutReadyzAndVersion() });
    expect(report.passed).to.equal(false);
    expect(check(report, 'readyz').problems).to.deep.equal([
      "GET /readyz is missing (404): the contract requires it on every service (mount the platform's health routes)",
    ]);
    expect(check(report, 'version').status).to.equal('fail');
    expect(check(report, 'healthz').status).to.equal('pass');
  });

  it('skips a missing operational route that is not required', async () => {
    const report = await runConformance({ app: withoutReadyzAndVersion() }, { requiredRoutes: ['/healthz'] });
    expect(report.passed).to.equal(true);
    expect(check(report, 'readyz')).to.include({ status: 'skip' });
  });

  it('expects HSTS when /version reports production', async () => {
    const report = await runConformance({ app: platformApp() }, { expectHsts: true });
    expect(check(report, 'security-headers').problems.join('\n')).to.match(/Strict-Transport-Security is missing/);
  });

  it('expects HSTS by itself when /version reports production, and finds it', async () => {
    const report = await runConformance({
      app: platformApp({ ENVIRONMENT: 'production', CLERK_AUTHORIZED_PARTIES: ORIGIN }),
    });
    expect(check(report, 'security-headers').status).to.equal('pass');
    const withoutHsts = await runConformance(
      { app: platformApp({ ENVIRONMENT: 'production', CLERK_AUTHORIZED_PARTIES: ORIGIN }) },
      { expectHsts: false },
    );
    expect(check(withoutHsts, 'security-headers').problems.join('\n')).to.match(
      /Strict-Transport-Security is sent outside production/,
    );
  });

  it('names each broken convention of an app that ignores them', async () => {
    const report = await runConformance(
      { app: bareApp() },
      { protectedRoute: { method: 'POST', path: '/api/v1/things' }, allowedOrigin: ORIGIN },
    );
    expect(report.passed).to.equal(false);
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    expect(failed).to.deep.equal([
      'version',
      'healthz',
      'readyz',
      'unknown-route',
      'wrong-method',
      'malformed-json',
      'missing-auth',
      'security-headers',
      'cors',
      'request-id',
    ]);
    const problems = report.checks.flatMap((c) => c.problems).join('\n');
    expect(problems).to.include('GET /healthz: Content-Type is "text/html; charset=utf-8"');
    expect(problems).to.include('status 404, expected 405');
    expect(problems).to.include('x-frame-options is missing');
    expect(problems).to.match(/X-Request-ID is missing, expected a UUID v4/);
  });

  it('checks a running service by URL', async () => {
    const server: Server = createServer(platformApp());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const report = await runConformance({ baseUrl: `http://127.0.0.1:${port}/` }, { allowedOrigin: ORIGIN });
      expect(report.passed).to.equal(true);
      expect(report.target).to.equal(`http://127.0.0.1:${port}`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fails every check with the reason when the URL cannot be reached', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const report = await runConformance({ baseUrl: `http://127.0.0.1:${port}` }, { timeoutMs: 2000 });
    expect(report.passed).to.equal(false);
    expect(check(report, 'healthz').problems[0]).to.match(/^GET \/healthz failed: .*ECONNREFUSED/);
  });
});
