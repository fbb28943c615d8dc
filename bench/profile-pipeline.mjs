#!/usr/bin/env node
// Profiling aid: where a request's CPU time goes, per request, in two servers side by side.
//   node bench/profile-pipeline.mjs [--post] [--seconds=8] A B
// A and B are servers of servers/ (`express-bare`, `platform`) or paths to a server script (an
// older checkout's bench/servers/platform.mjs, to compare a change with what came before). Each
// runs under `--cpu-prof` and is loaded with autocannon (50 connections, 2 s of warm-up, then
// the measured run); the two profiles are then read together: self time per request (µs) by
// module and by function, A's, B's and the difference, largest first. The time of a sample is
// wall time while the process is on the CPU or in a system call (a socket write is mostly the
// kernel's work), so the figures add up to more than CPU time on a busy machine; the differences
// between A and B are what to read.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GET_ITEMS, load, POST_ITEMS, serverScript, startServer } from './lib.mjs';
import { frameName, where } from './profile-frames.mjs';

// Piped into `head`: stop quietly when the reader has gone.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});
const args = process.argv.slice(2);
const post = args.includes('--post');
const seconds = Number(args.find((arg) => arg.startsWith('--seconds='))?.slice(10) ?? 8);
const servers = args.filter((arg) => !arg.startsWith('--'));
if (servers.length !== 2 || !Number.isFinite(seconds) || seconds <= 0) {
  process.stderr.write('usage: node bench/profile-pipeline.mjs [--post] [--seconds=8] SERVER_A SERVER_B\n');
  process.exit(1);
}
for (const server of servers)
  if (!existsSync(serverScript(server))) {
    process.stderr.write(`no server ${server} (neither a file nor bench/servers/${server}.mjs)\n`);
    process.exit(1);
  }

const request = post ? POST_ITEMS : GET_ITEMS;

/** Runs `server` profiled; resolves with its profile and the number of requests it served in all. */
async function profiled(server) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const target = await startServer(serverScript(server), {}, { profileDir: dir });
  try {
    const warm = await load(target.url + request.path, { ...request, duration: 2 });
    const measured = await load(target.url + request.path, { ...request, duration: seconds });
    process.stdout.write(`${server}: ${Math.round(measured.rps)} req/s in the measured run\n`);
    await target.stop();
    const [file] = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error(`${server} wrote no profile`);
    return { profile: JSON.parse(readFileSync(join(dir, file), 'utf8')), requests: warm.total + measured.total };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Self µs per request by module and by function, idle left out. */
function perRequest({ profile, requests }) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const modules = new Map();
  const functions = new Map();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id).callFrame;
    if (frame.functionName === '(idle)') return;
    const us = (profile.timeDeltas[i] ?? 0) / requests;
    const module = where(frame);
    modules.set(module, (modules.get(module) ?? 0) + us);
    const fn = frameName(frame);
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  });
  return { modules, functions };
}

function table(title, a, b, top) {
  const rows = [...new Set([...a.keys(), ...b.keys()])].map((key) => [key, a.get(key) ?? 0, b.get(key) ?? 0]);
  rows.sort((x, y) => Math.abs(y[2] - y[1]) - Math.abs(x[2] - x[1]));
  process.stdout.write(`\n${title} (µs per request: A, B, B − A)\n`);
  for (const [key, us1, us2] of rows.slice(0, top))
    process.stdout.write(
      `  ${us1.toFixed(2).padStart(7)} ${us2.toFixed(2).padStart(7)} ${(us2 - us1 >= 0 ? '+' : '') + (us2 - us1).toFixed(2).padStart(6)}  ${key}\n`,
    );
}

const [a, b] = [await profiled(servers[0]), await profiled(servers[1])].map(perRequest);
const sum = (map) => [...map.values()].reduce((total, us) => total + us, 0);
process.stdout.write(
  `\nbusy µs per request (samples on the CPU or in a system call): A ${servers[0]} ${sum(a.modules).toFixed(1)}, B ${servers[1]} ${sum(b.modules).toFixed(1)}\n`,
);
table('by module', a.modules, b.modules, 25);
table('by function', a.functions, b.functions, 40);
