#!/usr/bin/env node
// Summarises V8 CPU profiles (`.cpuprofile`, e.g. from `BENCH_CPU_PROF=/tmp/prof pnpm bench --only=c`):
// self time by package or platform module, and the top functions by self and by inclusive time.
// Usage: node bench/profile-summary.mjs FILE.cpuprofile [--top=25]
import { readFileSync } from 'node:fs';
import { frameName, where } from './profile-frames.mjs';

// Piped into `head`: stop quietly when the reader has gone.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});
const [file] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const top = Number(process.argv.find((arg) => arg.startsWith('--top='))?.slice(6) ?? 25);
if (file === undefined) {
  process.stderr.write('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top=25]\n');
  process.exit(1);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

// Self time of each node: the time deltas of the samples taken in it.
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((sum, us) => sum + us, 0);
const idleIds = new Set(
  profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id),
);
const busy = total - [...idleIds].reduce((sum, id) => sum + (self.get(id) ?? 0), 0);

const name = frameName;

const groups = new Map();
const selfByFunction = new Map();
for (const [id, us] of self) {
  const frame = byId.get(id).callFrame;
  groups.set(where(frame), (groups.get(where(frame)) ?? 0) + us);
  selfByFunction.set(name(frame), (selfByFunction.get(name(frame)) ?? 0) + us);
}

// Inclusive time by function: each sample counts once per distinct function on its stack.
const inclusive = new Map();
profile.samples.forEach((id, i) => {
  if (idleIds.has(id)) return;
  const seen = new Set();
  for (let node = id; node !== undefined; node = parent.get(node)) seen.add(name(byId.get(node).callFrame));
  for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
});

const pct = (us) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
const print = (title, map) => {
  process.stdout.write(`\n${title}\n`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    process.stdout.write(`  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}\n`);
};
process.stdout.write(
  `${file}: ${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s busy (percentages are of busy time)\n`,
);
print('self time by package / module', groups);
print('self time by function', selfByFunction);
print('inclusive time by function', inclusive);
