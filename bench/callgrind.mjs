// Instruction counts per request, from valgrind's callgrind: the same work gives nearly the same
// count whatever else this shared machine is doing, where CPU time and req/s swing by 30 % and
// more. A server or driver runs under callgrind (node --single-threaded: compilation and GC on the
// main thread, so their timing does not depend on valgrind's pace); each measurement zeroes the
// counters, drives a fixed number of requests or calls and dumps: instructions / count.
// The count settles only after some dozens of separate runs of requests (new connections each time: V8
// re-optimises what they touch a few times over), not after one long run of any length, hence
// the warm-up of countPerUnit.
// User-space instructions only: syscalls and cache misses are not in the figure, so it prices
// the JavaScript work (ours, Express's, V8's GC) and nothing else.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';

const devNull = openSync('/dev/null', 'w');

/** Whether valgrind (with callgrind_control) is installed. */
export function callgrindAvailable() {
  return (
    spawnSync('valgrind', ['--version']).status === 0 && spawnSync('callgrind_control', ['--help']).status !== null
  );
}

function control(pid, ...args) {
  const result = spawnSync('callgrind_control', [...args, String(pid)], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`callgrind_control ${args.join(' ')} ${pid} failed: ${result.stderr || result.stdout}`);
}

/**
 * Starts `script` (a bench server or client driver: it sends `{ port }` over IPC once ready) under
 * callgrind. `measure(work, count)` returns the instructions per unit of `work()`.
 */
export function startUnderCallgrind(script, env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-callgrind-'));
  const child = spawn(
    'valgrind',
    ['--tool=callgrind', `--callgrind-out-file=${join(dir, 'out')}`, process.execPath, '--single-threaded', script],
    {
      stdio: ['ignore', devNull, 'pipe', 'ipc'],
      env: { ...process.env, ...env },
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let dumps = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start under valgrind within 120 s`)), 120_000);
    child.once('exit', (code) => reject(new Error(`${script} exited under valgrind with ${code}: ${stderr.trim()}`)));
    child.once('message', (message) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        child,
        url: `http://127.0.0.1:${message.port}`,
        async measure(work, count) {
          control(child.pid, '--zero');
          await work();
          control(child.pid, '--dump');
          dumps += 1;
          // callgrind names its dumps out.<n>; wait until the newest one is written completely.
          const file = join(dir, `out.${dumps}`);
          for (let i = 0; i < 100; i++) {
            const total =
              readdirSync(dir).includes(`out.${dumps}`) && /^totals: (\d+)/m.exec(readFileSync(file, 'utf8'));
            if (total) return Number(total[1]) / count;
            await sleep(50);
          }
          throw new Error(`callgrind wrote no dump ${file}`);
        },
        stop() {
          return new Promise((done) => {
            child.once('exit', () => {
              rmSync(dir, { recursive: true, force: true });
              done();
            });
            child.kill('SIGKILL');
          });
        },
      });
    });
  });
}

// The warm-up before counting: this many runs of `size` requests or calls each (on Node 24 the
// platform's count still drifts down by a tenth after a dozen runs; after forty it holds).
const WARM_UP = { runs: 40, size: 500 };
const ROUNDS = 5;
const ROUND_SIZE = 1000;

/**
 * Instructions per unit of `work(count)` (which makes exactly `count` requests or calls) in
 * `target`: after the warm-up, the mean of 5 rounds of 1000 (an old-generation GC lands in one
 * round now and then, about 130 k instructions a request for that round, and its cost belongs in
 * the figure spread over all of them, which a median would drop). Resolves with the mean and the rounds.
 */
export async function countPerUnit(target, work) {
  for (let i = 0; i < WARM_UP.runs; i++) await work(WARM_UP.size);
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await target.measure(() => work(ROUND_SIZE), ROUND_SIZE));
  return { mean: rounds.reduce((sum, value) => sum + value, 0) / rounds.length, rounds };
}

/** Exactly `amount` requests with `connections` in flight; rejects when any failed. */
export async function drive(url, { amount, connections, method = 'GET', body, headers = {} }) {
  const result = await autocannon({
    url,
    amount,
    connections,
    method,
    body,
    timeout: 120,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
  });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) throw new Error(`${failed} of ${amount} requests to ${url} failed`);
}

/** Exactly `calls` calls from a client driver (servers/client-driver.mjs); rejects when any failed. */
export function driveClient(driver, { calls, concurrency }) {
  return new Promise((resolve, reject) => {
    driver.child.once('message', (reply) => {
      if (reply.failed > 0)
        reject(new Error(`${reply.failed} of ${calls} client calls failed, first: ${reply.firstError}`));
      else resolve();
    });
    driver.child.send({ run: { calls, concurrency } });
  });
}
