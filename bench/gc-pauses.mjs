#!/usr/bin/env node
// Profiling aid: how often a server's garbage collector stops it, and for how long, per request.
//   node bench/gc-pauses.mjs [--post] [--seconds=5] [--rounds=3] SERVER...
// A SERVER is a server of servers/ (`express-bare`, `platform`), a path to a server script (an
// older checkout's bench/servers/platform.mjs), or `variants:PIECES` (servers/variants.mjs with
// those pieces, e.g. `variants:ctx,log`). Each runs with gc-watch.mjs preloaded and is loaded with
// autocannon (50 connections, 2 s of warm-up, then the measured run), the servers taking turns
// round after round. Per run: req/s, p99, CPU per request, the new space's size at the end, the
// young-generation collections (count, mean and largest pause, pause time per request) and the
// full ones. A young generation that grows while each collection takes longer is the same GC time
// spent in longer pauses: what a p99 sees and a mean does not. Run it with the Node whose
// collector is in question (`.tools/node24/…/node bench/gc-pauses.mjs` for Node 24).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GET_ITEMS, load, POST_ITEMS, serverScript, startServer } from './lib.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => Number(args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const post = args.includes('--post');
const seconds = option('seconds', 5);
const rounds = option('rounds', 3);
const servers = args.filter((arg) => !arg.startsWith('--'));
const VARIANTS = 'variants:';
const scriptOf = (server) => serverScript(server.startsWith(VARIANTS) ? 'variants' : server);
const invalid = servers.find((server) => !existsSync(scriptOf(server)));
if (servers.length === 0 || invalid !== undefined || !(seconds > 0) || !(rounds >= 1)) {
  process.stderr.write(
    `${invalid === undefined ? '' : `no server ${invalid}\n`}usage: node bench/gc-pauses.mjs [--post] [--seconds=5] [--rounds=3] SERVER...\n`,
  );
  process.exit(1);
}
const request = post ? POST_ITEMS : GET_ITEMS;

/** Sends `message` to `child` and resolves with its first reply that has `key`. */
function ask(child, message, key) {
  return new Promise((done) => {
    const onMessage = (reply) => {
      if (reply?.[key] !== true) return;
      child.off('message', onMessage);
      done(reply);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

async function measure(server) {
  const pieces = server.startsWith(VARIANTS) ? server.slice(VARIANTS.length) : '';
  const target = await startServer(
    scriptOf(server),
    { PIECES: pieces },
    { execArgv: ['--import', join(import.meta.dirname, 'gc-watch.mjs')] },
  );
  try {
    const url = target.url + request.path;
    await load(url, { ...request, duration: 2 });
    await ask(target.child, 'gc-reset', 'gcReset');
    const before = await ask(target.child, 'gc-report', 'gcReport');
    const run = await load(url, { ...request, duration: seconds });
    const after = await ask(target.child, 'gc-report', 'gcReport');
    const sum = (pauses) => pauses.reduce((total, ms) => total + ms, 0);
    const { young, full } = after;
    const f = (value, digits = 2) => value.toFixed(digits);
    process.stdout.write(
      `${server.padEnd(28)} ${String(Math.round(run.rps)).padStart(6)} req/s  p99 ${f(run.p99)} ms  ` +
        `${f((after.cpuUs - before.cpuUs) / run.total, 1)} µs CPU/req | new space ${after.newSpaceBytes / 1048576} MB, ` +
        `young ${young.length} × ${f(sum(young) / Math.max(young.length, 1))} ms (max ${f(Math.max(0, ...young))}), ` +
        `${f((sum(young) * 1000) / run.total)} µs/req | full ${full.length}, ${f(sum(full))} ms` +
        `${run.failed > 0 ? ` | ${run.failed} failed` : ''}\n`,
    );
  } finally {
    await target.stop();
  }
}

process.stdout.write(`Node ${process.version}, ${post ? 'POST 1 kB' : 'GET'}, ${rounds} round(s) of ${seconds} s\n`);
for (let round = 0; round < rounds; round++) for (const server of servers) await measure(server);
