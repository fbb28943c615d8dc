#!/usr/bin/env node
// `pnpm bench [--quick]`: autocannon against servers on 127.0.0.1, bounded in time, A/B runs
// interleaved, medians reported. Writes results/latest.json and results/latest.md.
// Figures are ratios against a baseline measured in the same run: this machine is noisy.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { interleave, round, startServer } from './lib.mjs';

const quick = process.argv.includes('--quick');
const PAIRS = quick ? 3 : 5;
const DURATION = quick ? 3 : 10;
const here = import.meta.dirname;
const server = (name) => join(here, 'servers', `${name}.mjs`);
const log = (line) => process.stdout.write(`${line}\n`);
const started = performance.now();

const BODY_1KB = JSON.stringify({ title: 'A benchmark entity', description: 'd'.repeat(950) });
const results = { node: process.version, pairs: PAIRS, duration_s: DURATION, mode: quick ? 'quick' : 'full' };

log(`bench on Node ${process.version}, ${PAIRS} pairs of ${DURATION} s runs, 50 connections`);

// (a) the full platform pipeline against bare Express 5
{
  log('\n(a) platform pipeline vs bare Express 5');
  const bare = await startServer(server('express-bare'));
  const platform = await startServer(server('platform'));
  try {
    log('  GET JSON');
    const get = await interleave(bare, platform, { pairs: PAIRS, duration: DURATION, request: { path: '/api/v1/items' }, log });
    log('  POST 1 kB JSON');
    const post = await interleave(bare, platform, { pairs: PAIRS, duration: DURATION, request: { path: '/api/v1/items', method: 'POST', body: BODY_1KB }, log });
    Object.assign(results, {
      express_get_rps: Math.round(get.rpsA),
      pipeline_get_rps: Math.round(get.rpsB),
      pipeline_vs_express_get: round(get.ratio),
      express_post_rps: Math.round(post.rpsA),
      pipeline_post_rps: Math.round(post.rpsB),
      pipeline_vs_express_post: round(post.ratio),
      p99_ratio_get: round(get.p99Ratio),
      cpu_us_per_request_get: { express: round(get.cpuA, 0), pipeline: round(get.cpuB, 0) },
      cpu_us_per_request_post: { express: round(post.cpuA, 0), pipeline: round(post.cpuB, 0) },
      pipeline_vs_express_get_cpu: round(get.cpuRatio),
      pipeline_vs_express_post_cpu: round(post.cpuRatio),
      p99_ms_get: { express: get.p99A, pipeline: get.p99B },
      failed_requests_a: get.failed + post.failed,
    });
  } finally {
    await bare.stop();
    await platform.stop();
  }
}

results.elapsed_s = round((performance.now() - started) / 1000, 1);
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(here, 'results', 'latest.md'), renderMarkdown(results));
log(`\nwrote bench/results/latest.json and latest.md in ${results.elapsed_s} s`);
log(JSON.stringify(results, null, 2));

function renderMarkdown(r) {
  const row = (what, value, budget) => `| ${what} | ${value ?? 'not measured'} | ${budget} |`;
  return [
    `# Benchmark results (${r.mode}, Node ${r.node}, ${r.pairs} interleaved pairs of ${r.duration_s} s)`,
    '',
    'Ratios are medians measured in the same run against the baseline named; this machine is noisy, absolute figures are not comparable across runs.',
    '',
    '| measure | result | budget |',
    '|---|---|---|',
    row('platform pipeline / bare Express 5, GET JSON (req/s)', r.pipeline_vs_express_get && `${r.pipeline_vs_express_get} (${r.pipeline_get_rps} / ${r.express_get_rps})`, '≥ 0.80'),
    row('platform pipeline / bare Express 5, POST 1 kB (req/s)', r.pipeline_vs_express_post && `${r.pipeline_vs_express_post} (${r.pipeline_post_rps} / ${r.express_post_rps})`, '≥ 0.80'),
    row('p99 latency, pipeline / bare Express 5, GET', r.p99_ratio_get, '≤ 1.3'),
    row('CPU per request, bare Express 5 / pipeline, GET (µs)', r.pipeline_vs_express_get_cpu && `${r.pipeline_vs_express_get_cpu} (${r.cpu_us_per_request_get.express} / ${r.cpu_us_per_request_get.pipeline})`, 'same as req/s ratio on an idle machine'),
    row('CPU per request, bare Express 5 / pipeline, POST (µs)', r.pipeline_vs_express_post_cpu && `${r.pipeline_vs_express_post_cpu} (${r.cpu_us_per_request_post.express} / ${r.cpu_us_per_request_post.pipeline})`, ''),
    '',
  ].join('\n');
}
