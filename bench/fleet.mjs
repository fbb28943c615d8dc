#!/usr/bin/env node
// `node bench/fleet.mjs` (after `pnpm run build`): how long `org-platform fleet` takes over a large
// fleet. 200 services on 127.0.0.1, each answering /version after 50 ms, listed in a services
// file; the CLI (packages/cli/dist) runs as its own process with the default concurrency (16) and
// time limit (5000 ms), 5 runs, median kept. Budget: under 3 s. Writes results/fleet.json on Node 20
// (results/fleet-node24.json on Node 24: `.tools/node24/.../node bench/fleet.mjs`), files of its own:
// the other benchmarks' results are not touched.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SERVICES = 200;
const DELAY_MS = 50;
const RUNS = 5;
const BUDGET_MS = 3000;
const here = import.meta.dirname;
const cli = join(here, '..', 'packages', 'cli', 'dist', 'src', 'main.js');
const log = (line) => process.stdout.write(`${line}\n`);

// Every run is bounded: a stuck run ends the whole command.
setTimeout(() => {
  process.stderr.write('bench/fleet: gave up after 120 s\n');
  process.exit(2);
}, 120_000).unref();

const body = (i) =>
  JSON.stringify({
    service_name: `svc-${i}`,
    version: '1.0.0',
    commit: 'abc',
    build_time: 'now',
    environment: 'production',
    platform_version: i % 3 === 0 ? '0.1.0' : '0.2.0',
    node_version: process.versions.node,
    deprecations: i % 7 === 0 ? ['ORG_PLATFORM_DEP001'] : [],
  });
const servers = await Promise.all(
  Array.from(
    { length: SERVICES },
    (_, i) =>
      new Promise((resolve) => {
        const server = createServer((req, res) => {
          setTimeout(() => {
            res.setHeader('content-type', 'application/json; charset=utf-8');
            res.end(req.url === '/version' ? body(i) : '{}');
          }, DELAY_MS);
        });
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
  ),
);
const work = mkdtempSync(join(tmpdir(), 'bench-fleet-'));
const file = join(work, 'fleet.yaml');
writeFileSync(
  file,
  `services:\n${servers.map((server, i) => `  - { name: svc-${String(i).padStart(3, '0')}, url: "http://127.0.0.1:${server.address().port}" }`).join('\n')}\n`,
);

const times = [];
try {
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    // Asynchronously: the services live in this process and must go on answering.
    const result = await new Promise((resolve) => {
      const child = spawn(process.execPath, [cli, 'fleet', '--file', file, '--json'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.on('close', (status) => resolve({ status, stdout }));
    });
    const ms = performance.now() - started;
    const report = JSON.parse(result.stdout);
    if (report.services.length !== SERVICES || report.services.some((s) => !s.reachable))
      throw new Error(`run ${run + 1}: not every service was reported reachable`);
    times.push(ms);
    log(`run ${run + 1}: ${SERVICES} services in ${Math.round(ms)} ms (exit ${result.status})`);
  }
} finally {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(work, { recursive: true, force: true });
}
const sorted = [...times].sort((a, b) => a - b);
const median = Math.round(sorted[Math.floor(RUNS / 2)]);
const results = {
  node: process.version,
  date: new Date().toISOString(),
  fleet: {
    services: SERVICES,
    delay_ms: DELAY_MS,
    concurrency: 16,
    runs: RUNS,
    median_ms: median,
    min_ms: Math.round(sorted[0]),
    max_ms: Math.round(sorted.at(-1)),
    budget_ms: BUDGET_MS,
    within_budget: median < BUDGET_MS,
  },
};
const major = Number(process.versions.node.split('.')[0]);
const resultFile = major === 20 ? 'fleet.json' : `fleet-node${major}.json`;
writeFileSync(join(here, 'results', resultFile), `${JSON.stringify(results, null, 2)}\n`);
log(
  `median ${median} ms for ${SERVICES} services at ${DELAY_MS} ms each (budget ${BUDGET_MS} ms): ${median < BUDGET_MS ? 'within budget' : 'OVER BUDGET'}; results/${resultFile} written`,
);
if (median >= BUDGET_MS) process.exitCode = 1;
