import { expect } from 'chai';
import fc from 'fast-check';
import { createSqlEntityRepository } from '../../src/entities/index.js';
import { as, buildApp } from '../fixtures/app.js';
import { DATABASE_TARGETS, testDatabase } from '../fixtures/databases.js';
import { listen, type RunningServer } from '../fixtures/http.js';

// Property-based fuzzing of every entity route: any body, query, path and headers, with a valid,
// a broken or no token, never gets a 5xx, and every error is the unified shape with the request id.
const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 120,
});
const id = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 60 }).map(encodeURIComponent),
  fc.constantFrom('%', '%ZZ', '..%2F..', '00000000-0000-0000-0000-000000000000', "1'%20or%201=1"),
);
const query = fc.dictionary(
  fc.constantFrom('offset', 'limit', 'sort', '__proto__', 'owner_id'),
  fc.oneof(printable, fc.integer().map(String), fc.constant('')),
  { maxKeys: 3 },
);
const body = fc.oneof(
  fc.record(
    {
      title: fc.oneof(fc.string({ maxLength: 300 }), fc.constant(null), fc.integer()),
      description: fc.oneof(fc.string({ maxLength: 1100 }), fc.constant(null)),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 3 }),
  printable,
);
const token = fc.constantFrom<'valid' | 'none' | 'garbage' | 'cookie'>('valid', 'none', 'garbage', 'cookie');
const extraHeaders = fc.dictionary(
  fc.constantFrom('x-correlation-id', 'traceparent', 'x-request-id', 'content-type', 'accept'),
  printable,
  { maxKeys: 3 },
);
const route = fc.constantFrom('list', 'create', 'get', 'patch', 'delete');

for (const target of DATABASE_TARGETS) {
  describe(`entities API under property-based fuzzing on ${target}`, function () {
    this.timeout(180_000);
    let server: RunningServer;

    before(async () => {
      await testDatabase(target).reset();
      server = await listen(buildApp(createSqlEntityRepository(testDatabase(target).db)).app);
    });
    after(() => server.close());

    it('never answers 5xx, and errors are the unified shape with the request id', async () => {
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(
          route,
          id,
          query,
          body,
          token,
          extraHeaders,
          async (which, entityId, q, payload, auth, extra) => {
            const path = which === 'list' || which === 'create' ? '/api/v1/entities' : `/api/v1/entities/${entityId}`;
            const method = { list: 'GET', create: 'POST', get: 'GET', patch: 'PATCH', delete: 'DELETE' }[which];
            const headers: Record<string, string> = { ...extra };
            const bearer = as('user_fuzz').Authorization;
            if (auth === 'valid') headers.authorization = bearer;
            if (auth === 'garbage') headers.authorization = `Bearer ${bearer.slice(7, -5)}xxxxx`;
            if (auth === 'cookie') headers.cookie = `__session=${bearer.slice(7)}`;
            const sent =
              method === 'POST' || method === 'PATCH'
                ? typeof payload === 'string'
                  ? payload
                  : JSON.stringify(payload)
                : undefined;
            const init: RequestInit = { method, headers, ...(sent === undefined ? {} : { body: sent }) };
            if (sent !== undefined) headers['content-type'] ??= 'application/json';
            let res: Response;
            try {
              res = await fetch(`${server.url}${path}?${new URLSearchParams(q).toString()}`, init);
            } catch {
              return; // the client refused to send it (an invalid header value): nothing reached the service
            }
            const text = await res.text();
            statuses.add(res.status);
            expect(res.status, `${method} ${path} ${JSON.stringify(q)} ${String(sent)} -> ${text}`).to.be.below(500);
            if (res.status >= 400) {
              const parsed = JSON.parse(text) as Record<string, unknown>;
              expect(parsed).to.include.keys('error', 'message', 'code', 'request_id');
              expect(parsed.request_id).to.equal(res.headers.get('x-request-id'));
            }
          },
        ),
        { numRuns: 250 },
      );
      // The inputs reached past auth into validation, not only the 401 path.
      expect([...statuses]).to.include.members([401, 422]);
    });
  });
}
