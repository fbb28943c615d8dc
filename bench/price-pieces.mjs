// Profiling aid: prices the parts of the pipeline or of the HTTP client in instructions (valgrind's
// callgrind: steady on a busy machine), two processes at a time.
//   node bench/price-pieces.mjs [--post] "" ctx ctx,helmet,cors,log
//     each argument is a PIECES set of servers/variants.mjs (bare Express plus those middleware;
//     "" is bare Express): instructions per request
//   node bench/price-pieces.mjs --clients got got-like-platform platform-quiet platform
//     each argument is a BENCH_CLIENT of servers/client-driver.mjs: instructions per call
//   node bench/price-pieces.mjs [--post] --servers express-bare platform
//     each argument is a server of servers/ (the budget's pair): instructions per request
//   node bench/price-pieces.mjs --entities list
//     the sample service (servers/entities-service.mjs) on a scratch PostgreSQL database, one
//     run per argument: instructions per `GET /api/v1/entities` (a page of 20 of 25, with auth)
import { callgrindAvailable, countPerUnit, drive, driveClient, startUnderCallgrind } from './callgrind.mjs';
import { countEntitiesList } from './entities.mjs';
import { startServer } from './lib.mjs';

const args = process.argv.slice(2);
const sets = args.filter((arg) => !arg.startsWith('--'));
const clients = args.includes('--clients');
const servers = args.includes('--servers');
const entities = args.includes('--entities');
const request = args.includes('--post')
  ? { method: 'POST', body: JSON.stringify({ title: 't', description: 'd'.repeat(950) }) }
  : {};
if (!callgrindAvailable() || sets.length === 0) {
  process.stderr.write(
    'usage: node bench/price-pieces.mjs [--post] "" ctx ctx,helmet ... | [--post] --servers express-bare platform | --clients got platform ... (needs valgrind)\n',
  );
  process.exit(1);
}
const script = (name) => new URL(`./servers/${name}.mjs`, import.meta.url).pathname;
const upstream = clients ? await startServer(script('client-upstream')) : undefined;

async function price(set) {
  if (entities)
    return {
      set,
      ...(await countEntitiesList(process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test')),
    };
  const target = clients
    ? await startUnderCallgrind(script('client-driver'), { BENCH_CLIENT: set, BENCH_TARGET: upstream.url })
    : await startUnderCallgrind(script(servers ? set : 'variants'), servers ? {} : { PIECES: set });
  const url = `${target.url}/api/v1/items`;
  const work = clients
    ? (count) => driveClient(target, { calls: count, concurrency: 10 })
    : (count) => drive(url, { amount: count, connections: 4, ...request });
  try {
    return { set, ...(await countPerUnit(target, work)) };
  } finally {
    await target.stop();
  }
}

const priced = [];
for (let i = 0; i < sets.length; i += 2) priced.push(...(await Promise.all(sets.slice(i, i + 2).map(price))));
await upstream?.stop();
// The mean keeps the rounds with a major GC in (a part of the cost); the median leaves them out,
// so it shows a change of a few per cent that the GC rounds would drown.
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = priced[0].mean;
const baseMedian = median(priced[0].rounds);
const k = (n) => Math.round(n / 1000);
const signed = (n) => `${n >= 0 ? '+' : '-'}${String(k(Math.abs(n))).padStart(4)} k`;
for (const { set, rounds, mean: m } of priced) {
  const mid = median(rounds);
  process.stdout.write(
    `${(set || '(bare)').padEnd(44)} mean ${String(k(m)).padStart(6)} k ${signed(m - base)}   median ${String(k(mid)).padStart(6)} k ${signed(mid - baseMedian)}   [${rounds.map(k).join(' ')}]\n`,
  );
}
