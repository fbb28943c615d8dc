import { expect } from 'chai';
import request from 'supertest';
import { createSqlEntityRepository } from '../../src/entities/index.js';
import { as, buildApp } from '../fixtures/app.js';
import { DATABASE_TARGETS, testDatabase } from '../fixtures/databases.js';
import { listen, type RunningServer } from '../fixtures/http.js';

// A small seeded generator (mulberry32), so a failure reproduces with the same inputs.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '😀'.repeat(300),
  'x'.repeat(1001),
  "'; drop table entities; --",
  '%',
  '\\',
  '00000000-0000-0000-0000-000000000000',
  'null',
  '-1',
  '1e309',
  '${x}',
  '<script>',
  '\u202e',
  'é',
];

// encodeURIComponent throws on a lone surrogate: send its (invalid) UTF-8 bytes percent-encoded instead.
function encode(text: string): string {
  return text
    .split(/(\p{Cs})/u)
    .map((part) => (/^\p{Cs}$/u.test(part) ? '%ED%A0%80' : encodeURIComponent(part)))
    .join('');
}

function value(next: () => number, depth = 0): unknown {
  const pick = Math.floor(next() * (depth > 1 ? 6 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return Math.floor((next() - 0.5) * 1e6);
    case 3:
      return (next() - 0.5) * 1e300;
    case 4:
    case 5:
      return NASTY_STRINGS[Math.floor(next() * NASTY_STRINGS.length)];
    case 6:
      return [value(next, depth + 1), value(next, depth + 1)];
    case 7:
      return { title: value(next, depth + 1) };
    default:
      return {
        title: value(next, depth + 1),
        description: value(next, depth + 1),
        [NASTY_STRINGS[Math.floor(next() * NASTY_STRINGS.length)]!]: 1,
      };
  }
}

for (const target of DATABASE_TARGETS) {
  describe(`entities API with arbitrary input on ${target}`, () => {
    let server: RunningServer;
    before(async () => {
      server = await listen(buildApp(createSqlEntityRepository(testDatabase(target).db)).app);
    });
    after(() => server.close());

    it('never answers 500, whatever the body, id or query', async () => {
      const next = random(20261126);
      const api = request(server.url);
      const seen = new Set<number>();
      for (let i = 0; i < 150; i++) {
        const body = value(next);
        // Sent as JSON text, so scalars and null are bodies too.
        const json = JSON.stringify(body) ?? 'null';
        const raw = String(value(next));
        const id = encode(raw);
        const calls = [
          api.post('/api/v1/entities').set(as('user_fuzz')).type('json').send(json),
          api.patch(`/api/v1/entities/${id}`).set(as('user_fuzz')).type('json').send(json),
          api.get(`/api/v1/entities/${id}`).set(as('user_fuzz')),
          api.delete(`/api/v1/entities/${id}`).set(as('user_fuzz')),
          api.get(`/api/v1/entities?offset=${id}&limit=${encode(String(value(next)))}`).set(as('user_fuzz')),
        ];
        const labels = ['POST', `PATCH ${raw}`, `GET ${raw}`, `DELETE ${raw}`, `GET ?offset=${raw}`];
        for (const [index, res] of (await Promise.all(calls)).entries()) {
          seen.add(res.status);
          expect(res.status, `${labels[index]!} with body ${json} → ${res.text}`).to.be.below(500);
        }
      }
      // The inputs reached past validation too, not only 4xx.
      expect([...seen]).to.include.members([200, 201, 422]);
    });
  });
}
