// Small helpers of the benchmark harness: start a server process, load it with autocannon, medians.
import { fork } from 'node:child_process';
import { openSync } from 'node:fs';
import autocannon from 'autocannon';

const devNull = openSync('/dev/null', 'w');

/** Starts `script` as a child process (stdout to /dev/null) and resolves once it listens. */
export function startServer(script, env = {}) {
  const started = performance.now();
  const child = fork(script, [], { stdio: ['ignore', devNull, 'inherit', 'ipc'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${script} exited early with code ${code}`)));
    child.once('message', (message) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        port: message.port,
        startMs: performance.now() - started,
        child,
        url: `http://127.0.0.1:${message.port}`,
        cpu: () => new Promise((done) => {
          child.once('message', (reply) => done(reply));
          child.send('cpu');
        }),
        stop: () => new Promise((done) => {
          child.once('exit', () => done());
          child.kill('SIGKILL');
        }),
      });
    });
  });
}

/** One bounded run against `target`, with the server's CPU time per request (µs). */
export async function loadServer(target, request, duration) {
  const before = await target.cpu();
  const result = await load(target.url + request.path, { ...request, duration });
  const after = await target.cpu();
  return { ...result, cpuUs: (after.cpu - before.cpu) / Math.max(result.total, 1), rssMb: after.rss / 1048576 };
}

/** One bounded autocannon run. */
export async function load(url, { duration, connections = 50, method = 'GET', body, headers = {} }) {
  const result = await autocannon({ url, duration, connections, method, body, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers } });
  const failed = result.errors + result.timeouts + result.non2xx;
  return { rps: result.requests.average, p99: result.latency.p99, p50: result.latency.p50, total: result.requests.total, failed };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Runs A and B alternately (`pairs` times each, after a warm-up of each) and reports medians and
 * the B/A ratios. Alternating cancels much of this noisy machine's drift.
 */
export async function interleave(a, b, { pairs, duration, request, log }) {
  await load(a.url + request.path, { ...request, duration: 1 });
  await load(b.url + request.path, { ...request, duration: 1 });
  const runsA = [];
  const runsB = [];
  for (let i = 0; i < pairs; i++) {
    runsA.push(await loadServer(a, request, duration));
    runsB.push(await loadServer(b, request, duration));
    log(`    pair ${i + 1}/${pairs}: ${Math.round(runsA[i].rps)} vs ${Math.round(runsB[i].rps)} req/s, ${Math.round(runsA[i].cpuUs)} vs ${Math.round(runsB[i].cpuUs)} µs CPU/request`);
  }
  const failed = [...runsA, ...runsB].reduce((sum, r) => sum + r.failed, 0);
  const rpsA = median(runsA.map((r) => r.rps));
  const rpsB = median(runsB.map((r) => r.rps));
  const p99A = median(runsA.map((r) => r.p99));
  const p99B = median(runsB.map((r) => r.p99));
  const cpuA = median(runsA.map((r) => r.cpuUs));
  const cpuB = median(runsB.map((r) => r.cpuUs));
  return { rpsA, rpsB, ratio: rpsB / rpsA, p99A, p99B, p99Ratio: p99B / Math.max(p99A, 0.001), cpuA, cpuB, cpuRatio: cpuA / cpuB, failed };
}
