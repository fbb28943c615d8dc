import { randomUUID } from 'node:crypto';
import { verdict, type ConformanceCheck } from '../check.js';
import type { ProbeResponse } from '../client.js';
import { errorShapeProblems } from '../expect.js';

function describe(res: ProbeResponse): string {
  return `${res.method} ${res.path}`;
}

const idempotency: ConformanceCheck = {
  id: 'idempotency',
  title: 'a create route replays a repeated Idempotency-Key byte for byte and refuses reuse and malformed keys',
  async run(ctx) {
    const route = ctx.options.idempotentRoute;
    if (route === undefined) return { skip: 'no idempotentRoute given' };
    const method = route.method.toUpperCase();
    const send = (key: string, body: unknown): Promise<ProbeResponse> =>
      ctx.client.send(method, route.path, {
        headers: { ...route.headers, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
    const problems: string[] = [];
    const key = `conformance-${randomUUID()}`;
    const first = await send(key, route.body);
    if (first.status < 200 || first.status > 299)
      return verdict([
        `${describe(first)} with a fresh Idempotency-Key: status ${first.status}, expected 2xx (${first.text.slice(0, 200)})`,
      ]);
    if (first.headers.get('idempotent-replayed') !== null)
      problems.push(`${describe(first)}: the first request with a key is marked Idempotent-Replayed`);

    const again = await send(key, route.body);
    if (again.status !== first.status)
      problems.push(
        `${describe(again)} repeated with the same key: status ${again.status}, expected the recorded ${first.status}`,
      );
    if (again.text !== first.text)
      problems.push(`${describe(again)} repeated with the same key: the body differs from the recorded one`);
    if (again.headers.get('idempotent-replayed') !== 'true')
      problems.push(
        `${describe(again)} repeated with the same key: Idempotent-Replayed is ${again.headers.get('idempotent-replayed') ?? 'missing'}, expected "true"`,
      );
    for (const header of ['location', 'etag']) {
      if (first.headers.get(header) !== again.headers.get(header))
        problems.push(
          `${describe(again)} repeated with the same key: ${header} is ${again.headers.get(header) ?? 'missing'}, expected the recorded ${first.headers.get(header) ?? 'none'}`,
        );
    }

    problems.push(
      ...errorShapeProblems(await send(key, route.otherBody), {
        status: 422,
        error: 'VALIDATION_ERROR',
        code: 'IDEMPOTENCY_KEY_REUSED',
      }).map((p) => `the same key with another body: ${p}`),
    );
    for (const [what, bad] of [
      ['a key with a space', 'not a key'],
      ['a key of 256 characters', 'k'.repeat(256)],
    ] as const) {
      problems.push(
        ...errorShapeProblems(await send(bad, route.body), {
          status: 400,
          error: 'BAD_REQUEST',
          code: 'IDEMPOTENCY_KEY_INVALID',
        }).map((p) => `${what}: ${p}`),
      );
    }
    return verdict(problems);
  },
};

/** The idempotency-key check (skipped unless the service names a create route). @internal */
export const idempotencyChecks: readonly ConformanceCheck[] = [idempotency];
