// Small helpers of the benchmark harness: start a server process, load it with autocannon, medians.
import { fork, spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';

const devNull = openSync('/dev/null', 'w');

/** The request of the overhead measures' `GET` JSON (the two routes of servers/common.mjs). */
export const GET_ITEMS = { path: '/api/v1/items' };
/** A 1 kB JSON body, as the overhead measures' `POST` sends it. */
export const BODY_1KB = JSON.stringify({ title: 'A benchmark entity', description: 'd'.repeat(950) });
/** The request of the overhead measures' `POST` 1 kB JSON. */
export const POST_ITEMS = { path: '/api/v1/items', method: 'POST', body: BODY_1KB };

/** The script of `server`: a path to a server script, or the name of one in servers/. */
export function serverScript(server) {
  return existsSync(server) ? resolve(server) : join(import.meta.dirname, 'servers', `${server}.mjs`);
}

// BENCH_CPU_PROF=folder: every server, driver and service writes a V8 CPU profile there when it stops.
const profileDir = process.env.BENCH_CPU_PROF;
const profileArgsFor = (dir) => (dir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
const profileArgs = profileArgsFor(profileDir);

// Services are spawned, not forked: they would outlive a harness that gives up, so they die with it.
const spawned = new Set();
process.on('exit', () => {
  for (const child of spawned) child.kill('SIGKILL');
});

/**
 * Starts `script` as a child process (stdout to /dev/null) and resolves once it listens; with
 * `profileDir` (default BENCH_CPU_PROF) it writes a V8 CPU profile there when it stops. `execArgv`
 * are more Node options for the child (a preloaded module).
 */
export function startServer(script, env = {}, { profileDir: profileTo = profileDir, execArgv = [] } = {}) {
  const started = performance.now();
  const child = fork(script, [], {
    stdio: ['ignore', devNull, 'inherit', 'ipc'],
    env: { ...process.env, ...env },
    execArgv: [...profileArgsFor(profileTo), ...execArgv],
  });
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
        cpu: () =>
          new Promise((done) => {
            child.once('message', (reply) => done(reply));
            child.send('cpu');
          }),
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            // A profiled child must exit by itself to write its profile: it does when the IPC channel closes.
            if (profileTo === undefined) child.kill('SIGKILL');
            else child.disconnect();
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

/**
 * One bounded autocannon run. Latencies (p50, p99) are taken from every 2xx response's own time in
 * ms to the µs, not from autocannon's histogram, which keeps whole milliseconds: at the 3-7 ms of a
 * fast server one millisecond is a third of the figure, too coarse for a ratio budget.
 */
export async function load(
  url,
  { duration, connections = 50, method = 'GET', body, headers = {}, idReplacement = false },
) {
  // idReplacement: each `[<id>]` in the request (a header included) becomes a fresh id per request.
  const run = autocannon({
    url,
    duration,
    connections,
    method,
    body,
    idReplacement,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
  });
  const latencies = [];
  run.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await run;
  const failed = result.errors + result.timeouts + result.non2xx;
  const sorted = Float64Array.from(latencies).sort();
  // Total over the measured time: autocannon's per-second average ignores a last partial second.
  return {
    rps: result.requests.total / result.duration,
    p99: quantile(sorted, 0.99),
    p50: quantile(sorted, 0.5),
    total: result.requests.total,
    failed,
  };
}

/** The nearest-rank quantile `q` (0 < q ≤ 1) of ascending `sorted` ms, to the µs; 0 when empty. */
function quantile(sorted, q) {
  return sorted.length === 0 ? 0 : round(sorted[Math.ceil(q * sorted.length) - 1], 3);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Runs A and B alternately (`pairs` times each, after a warm-up of `warmup` seconds each, in the order AB, BA,
 * AB, ...) and reports medians and the B/A ratios. Alternating cancels much of this noisy machine's drift.
 */
export async function interleave(a, b, { pairs, duration, request, log, warmup = 1 }) {
  await load(a.url + request.path, { ...request, duration: warmup });
  await load(b.url + request.path, { ...request, duration: warmup });
  const runsA = [];
  const runsB = [];
  for (let i = 0; i < pairs; i++) {
    // The order alternates (AB, BA, AB, ...): the second run of a pair inherits what the first left
    // behind (the load generator's garbage, a busier neighbour), so neither server always does.
    if (i % 2 === 0) {
      runsA.push(await loadServer(a, request, duration));
      runsB.push(await loadServer(b, request, duration));
    } else {
      runsB.push(await loadServer(b, request, duration));
      runsA.push(await loadServer(a, request, duration));
    }
    log(
      `    pair ${i + 1}/${pairs}: ${Math.round(runsA[i].rps)} vs ${Math.round(runsB[i].rps)} req/s, ${Math.round(runsA[i].cpuUs)} vs ${Math.round(runsB[i].cpuUs)} µs CPU/request`,
    );
  }
  const failed = [...runsA, ...runsB].reduce((sum, r) => sum + r.failed, 0);
  const rpsA = median(runsA.map((r) => r.rps));
  const rpsB = median(runsB.map((r) => r.rps));
  const p99A = median(runsA.map((r) => r.p99));
  const p99B = median(runsB.map((r) => r.p99));
  const cpuA = median(runsA.map((r) => r.cpuUs));
  const cpuB = median(runsB.map((r) => r.cpuUs));
  return {
    rpsA,
    rpsB,
    ratio: rpsB / rpsA,
    p99A,
    p99B,
    p99Ratio: p99B / Math.max(p99A, 0.001),
    cpuA,
    cpuB,
    cpuRatio: cpuA / cpuB,
    failed,
  };
}

/** A free TCP port on 127.0.0.1 (the service under test needs a fixed PORT to be polled from its start). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Linux accounts process CPU in clock ticks of 10 ms (CLK_TCK 100): plenty over runs of thousands of requests.
const TICK_US = 10_000;

/** CPU time (user + system, µs) and RSS (bytes) of any process, read from /proc. */
export function procUsage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: state is field 3, utime field 14, stime field 15.
  const cpu = (Number(fields[11]) + Number(fields[12])) * TICK_US;
  const rssKb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
  return { cpu, rss: rssKb * 1024 };
}

/** GET `url` once (no keep-alive, 500 ms limit); resolves with the status, or 0 when nothing answered. */
export function probe(url) {
  return new Promise((resolve) => {
    const req = httpRequest(url, { agent: false, timeout: 500 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', () => resolve(0));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
    req.end();
  });
}

/**
 * Starts the real service (`node main.js`) on 127.0.0.1 with only the given environment (plus
 * PATH and HOME), polling `/healthz` then `/readyz` every `pollMs` from the moment of the spawn.
 * Resolves with the times to each 200, or rejects when the process exits or `timeoutMs` passes.
 */
export async function startService(main, env, { pollMs = 15, timeoutMs = 60_000 } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  // cwd is a neutral folder so that no developer `.env` is read.
  const child = spawn(process.execPath, [...profileArgs, main], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', devNull, 'pipe'],
  });
  spawned.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited = false;
  const exit = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      spawned.delete(child);
      resolve(code ?? signal);
    }),
  );
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
  };
  const waitFor = async (path) => {
    for (;;) {
      if (exited) throw new Error(`${main} exited before ${path} answered 200: ${stderr.trim() || 'no stderr'}`);
      if (performance.now() - started > timeoutMs) {
        await stop();
        throw new Error(`${main}: ${path} did not answer 200 within ${timeoutMs} ms`);
      }
      if ((await probe(url + path)) === 200) return performance.now() - started;
      await sleep(pollMs);
    }
  };
  try {
    const healthzMs = await waitFor('/healthz');
    const readyMs = await waitFor('/readyz');
    return {
      url,
      port,
      pid: child.pid,
      child,
      healthzMs,
      readyMs,
      cpu: () => Promise.resolve(procUsage(child.pid)),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Asks a client driver (servers/client-driver.mjs) for one bounded run; resolves with calls/s and CPU µs per call. */
export function runDriver(driver, { duration, concurrency }) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('client driver did not answer in time')), duration * 1000 + 30_000);
    driver.child.once('message', (reply) => {
      clearTimeout(timer);
      resolve({
        rps: reply.calls / (reply.elapsedMs / 1000),
        cpuUs: reply.cpuUs / Math.max(reply.calls, 1),
        calls: reply.calls,
        failed: reply.failed,
        firstError: reply.firstError,
      });
    });
    driver.child.send({ run: { durationMs: duration * 1000, concurrency } });
  });
}

/**
 * Runs every driver once per round, in turn (after a warm-up of `warmup` seconds each), and reports per driver
 * the median calls/s and CPU µs per call.
 */
export async function rounds(drivers, { rounds: count, duration, concurrency, log, warmup = 1 }) {
  const runs = Object.fromEntries(Object.keys(drivers).map((name) => [name, []]));
  for (const driver of Object.values(drivers)) await runDriver(driver, { duration: warmup, concurrency });
  const order = Object.entries(drivers);
  for (let i = 0; i < count; i++) {
    // Each round starts one driver later: none always follows the same one (a run after undici's
    // 30,000 calls/s meets an upstream still collecting their garbage).
    for (let j = 0; j < order.length; j++) {
      const [name, driver] = order[(i + j) % order.length];
      runs[name].push(await runDriver(driver, { duration, concurrency }));
    }
    log(
      `    round ${i + 1}/${count}: ${Object.entries(runs)
        .map(([name, r]) => `${name} ${Math.round(r[i].rps)}/s ${Math.round(r[i].cpuUs)} µs`)
        .join(', ')}`,
    );
  }
  return Object.fromEntries(
    Object.entries(runs).map(([name, r]) => [
      name,
      {
        rps: median(r.map((run) => run.rps)),
        cpuUs: median(r.map((run) => run.cpuUs)),
        failed: r.reduce((sum, run) => sum + run.failed, 0),
        firstError: r.find((run) => run.firstError)?.firstError,
      },
    ]),
  );
}

/**
 * `count` GETs of `url`, one after the other on one keep-alive connection; resolves with the
 * latency of each (ms, from the request to the last byte). Rejects on any status but 200.
 */
export async function latencies(url, { count, headers = {} }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times = [];
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const status = await new Promise((resolve, reject) => {
        const req = httpRequest(url, { agent, headers, timeout: 30_000 }, (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode));
          res.once('error', reject);
        });
        req.once('timeout', () => req.destroy(new Error(`${url} took over 30 s`)));
        req.once('error', reject);
        req.end();
      });
      if (status !== 200) throw new Error(`${url} answered ${status}`);
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    agent.destroy();
  }
}
