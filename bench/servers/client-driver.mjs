// One outgoing-HTTP client under test, in its own process: the platform client (retry, breaker,
// propagation and its JSON `http_client_call` line per call at info, all on), bare got, or undici's request.
// On {run: {durationMs, concurrency}} it keeps `concurrency` calls in flight for durationMs (or makes
// {run: {calls}} calls), then answers with the number of calls and its own CPU time (the harness divides).
import { randomUUID } from 'node:crypto';
import http from 'node:http';

const variant = process.env.BENCH_CLIENT;
const target = process.env.BENCH_TARGET;
const path = '/api/v1/items';
const outside = (fn) => fn();

/** Runs each worker as if inside an incoming request, so propagation has a context to carry. */
async function requestScope() {
  const { runWithRequestContext, traceFromHeader } = await import('@org/platform/context');
  return (fn) =>
    runWithRequestContext(
      {
        requestId: randomUUID(),
        correlationId: randomUUID(),
        trace: traceFromHeader(undefined),
        method: 'GET',
        path: '/bench',
        userId: undefined,
      },
      fn,
    );
}

async function makeCall() {
  if (variant === 'platform' || variant === 'platform-quiet') {
    const { createHttpClient, createLogger } = await import('@org/platform');
    // The per-call `http_client_call` line (info on success) is really written (to /dev/null), as at
    // production's default level; `platform-quiet` (profiling aid) logs warnings only, to price the line.
    const logger = createLogger({
      service: 'bench-driver',
      version: '0.0.0',
      environment: 'staging',
      format: 'json',
      level: variant === 'platform-quiet' ? 'warn' : 'info',
    });
    const client = createHttpClient({ baseUrl: target, logger, service: 'bench-upstream' });
    return {
      scope: await requestScope(),
      call: async function platformCall() {
        const response = await client.get(path);
        if (response.status !== 200) throw new Error(`status ${response.status}`);
        return response.body;
      },
    };
  }
  if (variant === 'got' || variant === 'got-in-context' || variant === 'got-timeouts') {
    const { default: got } = await import('got');
    // `got-in-context` (profiling aid): bare got inside a request context, as it would run in a
    // service; on Node 20 an active AsyncLocalStorage makes every promise dearer. `got-timeouts`
    // (profiling aid): bare got with got's own per-request timeouts (its timed-out module).
    // The same kind of keep-alive agent the platform client gives got, and the same JSON parsing.
    const agent = { http: new http.Agent({ keepAlive: true }) };
    const timeouts = variant === 'got-timeouts' ? { timeout: { connect: 5000, request: 30_000 } } : {};
    return {
      scope: variant === 'got-in-context' ? await requestScope() : outside,
      call: async function gotCall() {
        const response = await got(target + path, {
          agent,
          retry: { limit: 0 },
          throwHttpErrors: false,
          responseType: 'json',
          ...timeouts,
        });
        if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
        return response.body;
      },
    };
  }
  if (variant === 'got-like-platform') {
    // Profiling aid: got with the options the platform client passed it until it kept its own
    // attempt timer and connect limit (got's time limits, an abort signal, a buffer body, the
    // progress listener), to tell got's cost from the platform's own.
    const { default: got } = await import('got');
    const agent = { http: new http.Agent({ keepAlive: true }) };
    return {
      scope: outside,
      call: async function gotLikePlatformCall() {
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(), 60_000);
        try {
          const pending = got(target + path, {
            agent,
            headers: { accept: 'application/json' },
            timeout: { connect: 5000, request: 30_000 },
            retry: { limit: 0 },
            throwHttpErrors: false,
            followRedirect: false,
            responseType: 'buffer',
            signal: deadline.signal,
          });
          void pending.on('downloadProgress', () => undefined);
          const response = await pending;
          if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
          return JSON.parse(response.body.toString('utf8'));
        } finally {
          clearTimeout(timer);
        }
      },
    };
  }
  if (variant === 'got-extended') {
    // Profiling aid: got as the platform client drove it before its fixed headers moved into the
    // extended instance, an instance extended once with the fixed options and per call the method,
    // headers and time limits, to tell the cost of that shape from the platform's own work.
    const { default: got } = await import('got');
    const extended = got.extend({
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'buffer',
      agent: { http: new http.Agent({ keepAlive: true }) },
    });
    return {
      scope: outside,
      call: async function gotExtendedCall() {
        const response = await extended(new URL(target + path), {
          method: 'GET',
          headers: { accept: 'application/json' },
          timeout: { connect: 5000, request: 30_000 },
        });
        if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
        return JSON.parse(response.body.toString('utf8'));
      },
    };
  }
  if (variant === 'undici') {
    const { request } = await import('undici');
    return {
      scope: outside,
      call: async function undiciCall() {
        const { statusCode, body } = await request(target + path);
        const parsed = await body.json();
        if (statusCode !== 200) throw new Error(`status ${statusCode}`);
        return parsed;
      },
    };
  }
  throw new Error(
    `BENCH_CLIENT must be platform, platform-quiet, got, got-in-context, got-timeouts, got-like-platform, got-extended or undici, not ${variant}`,
  );
}

const { scope, call } = await makeCall();

// `calls` instead of `durationMs` makes exactly that many calls (for counting instructions).
async function run({ durationMs, calls: amount, concurrency }) {
  const before = process.cpuUsage();
  const started = performance.now();
  const end = started + (durationMs ?? Number.POSITIVE_INFINITY);
  let begun = 0;
  let calls = 0;
  let failed = 0;
  let firstError;
  async function worker() {
    while (performance.now() < end && (amount === undefined || begun++ < amount)) {
      try {
        await call();
        calls += 1;
      } catch (error) {
        failed += 1;
        firstError ??= String(error?.message ?? error);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, () => scope(worker)));
  const elapsedMs = performance.now() - started;
  const used = process.cpuUsage(before);
  return { calls, failed, firstError, elapsedMs, cpuUs: used.user + used.system };
}

process.on('disconnect', () => process.exit(0));
process.on('message', (message) => {
  if (message?.run !== undefined) void run(message.run).then((result) => process.send?.(result));
});
process.send?.({ port: 0, pid: process.pid });
