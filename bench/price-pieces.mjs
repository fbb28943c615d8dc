// Profiling aid: prices the pipeline's middleware one by one, in instructions per request under
// callgrind (steady on a busy machine). Each argument is a PIECES set for servers/variants.mjs
// (bare Express plus those pieces; "" is bare Express); two servers run at a time.
// Usage: node bench/price-pieces.mjs [--post] "" ctx ctx,helmet ctx,helmet,cors,log
import { callgrindAvailable, drive, startUnderCallgrind } from './callgrind.mjs';
import { median } from './lib.mjs';

const args = process.argv.slice(2);
const sets = args.filter((arg) => !arg.startsWith('--'));
const request = args.includes('--post') ? { method: 'POST', body: JSON.stringify({ title: 't', description: 'd'.repeat(950) }) } : {};
if (!callgrindAvailable() || sets.length === 0) {
  process.stderr.write('usage: node bench/price-pieces.mjs [--post] "" ctx ctx,helmet ... (needs valgrind)\n');
  process.exit(1);
}

async function price(pieces) {
  const target = await startUnderCallgrind(new URL('./servers/variants.mjs', import.meta.url).pathname, { PIECES: pieces });
  try {
    const url = `${target.url}/api/v1/items`;
    await drive(url, { amount: 3000, connections: 4, ...request });
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await target.measure(() => drive(url, { amount: 1000, connections: 4, ...request }), 1000));
    return { pieces, runs, median: median(runs) };
  } finally {
    await target.stop();
  }
}

const priced = [];
for (let i = 0; i < sets.length; i += 2) priced.push(...(await Promise.all(sets.slice(i, i + 2).map(price))));
const base = priced[0].median;
for (const { pieces, runs, median: m } of priced) {
  const k = (n) => Math.round(n / 1000);
  process.stdout.write(`${(pieces || '(bare)').padEnd(44)} ${String(k(m)).padStart(6)} k  ${m >= base ? '+' : '-'}${String(k(Math.abs(m - base))).padStart(4)} k   [${runs.map(k).join(' ')}]\n`);
}
