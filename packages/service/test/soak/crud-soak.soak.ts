import { expect } from 'chai';
import { createSqlEntityRepository } from '../../src/entities/index.js';
import { as, buildApp } from '../fixtures/app.js';
import { DATABASE_TARGETS, testDatabase } from '../fixtures/databases.js';
import { listen } from '../fixtures/http.js';
import { crudWorker, newCounts } from './crud-worker.js';

// A soak of concurrent CRUD through a real server: no errors, and memory that levels off.
const SECONDS = Number(process.env.SOAK_SECONDS ?? 30);
const WORKERS = 8;

for (const target of DATABASE_TARGETS) {
  describe(`soak: ${SECONDS} s of concurrent CRUD on ${target}`, function () {
    this.timeout((SECONDS + 60) * 1000);

    it('answers every request as expected and keeps RSS stable', async () => {
      await testDatabase(target).reset();
      const server = await listen(buildApp(createSqlEntityRepository(testDatabase(target).db)).app);
      const counts = newCounts();
      const rss: number[] = [];
      const sampler = setInterval(() => rss.push(process.memoryUsage().rss / 1048576), 1000);
      const deadline = Date.now() + SECONDS * 1000;
      try {
        await Promise.all(Array.from({ length: WORKERS }, (_, i) => crudWorker(server.url, as(`user_soak_${i}`).Authorization, counts, () => Date.now() > deadline)));
      } finally {
        clearInterval(sampler);
        await server.close();
      }
      const third = Math.max(1, Math.floor(rss.length / 3));
      const early = Math.max(...rss.slice(0, third));
      const late = Math.max(...rss.slice(-third));
      process.stdout.write(`\n    ${target}: ${counts.requests} requests in ${SECONDS} s (${Math.round(counts.requests / SECONDS)}/s), RSS ${Math.round(early)} → ${Math.round(late)} MB\n`);
      expect(counts.wrongStatus, 'wrong statuses').to.deep.equal([]);
      expect(counts.dropped, 'dropped requests').to.deep.equal([]);
      expect(counts.refused).to.equal(0);
      expect(counts.requests).to.be.above(SECONDS * 10);
      // Stable: after the first third (warm-up, JIT, pools), memory grows by less than 48 MB.
      expect(late - early, `RSS ${early} → ${late} MB`).to.be.below(48);
    });
  });
}
