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
      const heapAfterGc: number[] = [];
      const gc = (globalThis as { gc?: () => void }).gc;
      const sampler = setInterval(() => {
        rss.push(process.memoryUsage().rss / 1048576);
        // The live JavaScript heap after a full collection: what a leak would grow.
        gc?.();
        heapAfterGc.push(process.memoryUsage().heapUsed / 1048576);
      }, 1000);
      const deadline = Date.now() + SECONDS * 1000;
      try {
        await Promise.all(
          Array.from({ length: WORKERS }, (_, i) =>
            crudWorker(server.url, as(`user_soak_${i}`).Authorization, counts, () => Date.now() > deadline),
          ),
        );
      } finally {
        clearInterval(sampler);
        await server.close();
      }
      const third = Math.max(1, Math.floor(rss.length / 3));
      const early = Math.max(...rss.slice(0, third));
      const middle = Math.max(...rss.slice(third, -third));
      const late = Math.max(...rss.slice(-third));
      const heapEarly = Math.min(...heapAfterGc.slice(third, 2 * third));
      const heapLate = Math.min(...heapAfterGc.slice(-third));
      process.stdout.write(
        `\n    ${target}: ${counts.requests} requests in ${SECONDS} s (${Math.round(counts.requests / SECONDS)}/s), RSS by second: ${rss.map(Math.round).join(' ')} MB; heap after GC ${heapEarly.toFixed(1)} → ${heapLate.toFixed(1)} MB\n`,
      );
      expect(counts.wrongStatus, 'wrong statuses').to.deep.equal([]);
      expect(counts.dropped, 'dropped requests').to.deep.equal([]);
      expect(counts.refused).to.equal(0);
      expect(counts.requests).to.be.above(SECONDS * 10);
      // Stable: memory levels off once warm (JIT, pools, the database's buffers); the last third
      // grows by less than 48 MB over the middle one (PGlite grows its WebAssembly memory in steps).
      expect(late - middle, `RSS ${Math.round(early)} → ${Math.round(middle)} → ${Math.round(late)} MB`).to.be.below(
        48,
      );
      // And no leak: the live heap after a full GC does not grow from the middle third to the last.
      expect(gc, 'the soak runs with --expose-gc').to.be.a('function');
      expect(heapLate - heapEarly, `heap after GC ${heapEarly} → ${heapLate} MB`).to.be.below(16);
    });
  });
}
