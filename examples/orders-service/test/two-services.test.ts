// The change request's acceptance scenario, end to end: the orders service and the entities
// service as two real processes on loopback, a real local session token, real logs.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalSessionToken, ensureLocalSigningKey } from '@org/platform/auth';
import {
  startNodeService,
  startServiceProcess,
  type ServiceProcess,
} from '../../../packages/service/test/fixtures/service-process.js';

const ordersDir = fileURLToPath(new URL('..', import.meta.url));
// The key pair both services verify with in local mode (LOCAL_AUTH_DIR's default).
const sharedKeyDir = fileURLToPath(new URL('../../../packages/service/.data/auth/', import.meta.url));

/** The first log line that matches, seen already or within a few seconds (lines go out once per turn). */
async function logLine(
  service: ServiceProcess,
  matches: (entry: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  for (let waited = 0; waited < 5000; waited += 25) {
    const found = service.events.find(matches);
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no such log line; seen:\n${service.events.map((e) => JSON.stringify(e)).join('\n')}`);
}

describe("two services talking: orders calls entities with the caller's token (real processes)", function () {
  this.timeout(120_000);
  let dataDir: string;
  let entities: ServiceProcess;
  let orders: ServiceProcess;
  let token: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'two-services-'));
    entities = await startServiceProcess(join(dataDir, 'pglite'));
    orders = await startNodeService({
      cwd: ordersDir,
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        ENVIRONMENT: 'local',
        SENTRY_DSN: '',
        ENTITIES_SERVICE_URL: entities.url,
      },
    });
    token = createLocalSessionToken(ensureLocalSigningKey(sharedKeyDir), { userId: 'user_two_services' });
  });

  after(async () => {
    for (const service of [orders, entities]) service?.child.kill('SIGTERM');
    const codes = await Promise.all([orders?.exited, entities?.exited]);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${join(dataDir, 'pglite')}.lock`, { recursive: true, force: true });
    expect(codes, 'both drain and exit 0 on SIGTERM').to.deep.equal([0, 0]);
  });

  it('carries X-Correlation-ID trace-123 and one trace id across both services, and the caller logs the call with its duration and status', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const created = await fetch(`${entities.url}/api/v1/entities`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Desk lamp' }),
    });
    expect(created.status).to.equal(201);
    const entity = (await created.json()) as { id: string };

    const res = await fetch(`${orders.url}/api/v1/orders`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'X-Correlation-ID': 'trace-123' },
      body: JSON.stringify({ entity_id: entity.id, quantity: 2 }),
    });
    expect(res.status).to.equal(201);
    expect(res.headers.get('x-correlation-id')).to.equal('trace-123');
    const order = (await res.json()) as Record<string, unknown>;
    expect(order).to.include({
      entity_id: entity.id,
      entity_title: 'Desk lamp',
      quantity: 2,
      owner_id: 'user_two_services',
    });

    // The caller: its access line and the upstream call, both with trace-123 and one trace id.
    const callerLine = await logLine(
      orders,
      (e) => e.event === 'request_completed' && e.path === '/api/v1/orders' && e.method === 'POST',
    );
    expect(callerLine).to.include({ correlation_id: 'trace-123', status_code: 201, user_id: 'user_two_services' });
    expect(callerLine.trace_id).to.match(/^[0-9a-f]{32}$/);
    const call = await logLine(orders, (e) => e.event === 'http_client_call' && e.correlation_id === 'trace-123');
    expect(call).to.include({
      level: 'info',
      service: 'orders-service',
      upstream: 'entities-service',
      method: 'GET',
      origin: entities.url,
      path: `/api/v1/entities/${entity.id}`,
      status: 200,
      attempts: 1,
      trace_id: callerLine.trace_id,
    });
    expect(call.duration_ms).to.be.a('number').and.be.above(0);

    // The upstream: the request arrived with trace-123, the same trace, and as the caller's user.
    const upstreamLine = await logLine(
      entities,
      (e) => e.event === 'request_completed' && e.path === `/api/v1/entities/${entity.id}`,
    );
    expect(upstreamLine).to.include({
      service: 'entities-service',
      method: 'GET',
      status_code: 200,
      correlation_id: 'trace-123',
      trace_id: callerLine.trace_id,
      user_id: 'user_two_services',
    });
    expect(upstreamLine.request_id, 'each service makes its own request id').not.to.equal(callerLine.request_id);
  });

  it('orders a new item by creating the entity with one Idempotency-Key for the call, as the caller, and the entity exists once', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const res = await fetch(`${orders.url}/api/v1/orders`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Desk chair', quantity: 1 }),
    });
    expect(res.status).to.equal(201);
    const order = (await res.json()) as { entity_id: string; entity_title: string; owner_id: string };
    expect(order).to.include({ entity_title: 'Desk chair', owner_id: 'user_two_services' });
    const call = await logLine(orders, (e) => e.event === 'http_client_call' && e.method === 'POST');
    expect(call).to.include({ upstream: 'entities-service', path: '/api/v1/entities', status: 201, attempts: 1 });
    expect(call.idempotency_key).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const entity = await fetch(`${entities.url}/api/v1/entities/${order.entity_id}`, { headers: auth });
    expect(((await entity.json()) as { owner_id: string }).owner_id).to.equal('user_two_services');
    // The key the call carried is recorded: a retry of it would get this entity again, not a second one.
    const replay = await fetch(`${entities.url}/api/v1/entities`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': String(call.idempotency_key) },
      body: JSON.stringify({ title: 'Desk chair' }),
    });
    expect(replay.headers.get('idempotent-replayed')).to.equal('true');
    expect(((await replay.json()) as { id: string }).id).to.equal(order.entity_id);
  });

  it("acts with the caller's rights only: another user's entity is unknown to the order, and an order without a token never reaches entities", async () => {
    const owner = { Authorization: `Bearer ${token}` };
    const created = await fetch(`${entities.url}/api/v1/entities`, {
      method: 'POST',
      headers: { ...owner, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Private' }),
    });
    const entity = (await created.json()) as { id: string };
    const stranger = createLocalSessionToken(ensureLocalSigningKey(sharedKeyDir), { userId: 'user_stranger' });
    const res = await fetch(`${orders.url}/api/v1/orders`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${stranger}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ entity_id: entity.id, quantity: 1 }),
    });
    expect(res.status).to.equal(422);
    expect(await res.json()).to.include({ error: 'VALIDATION_ERROR', code: 'ORDER_ENTITY_UNKNOWN' });
    await logLine(
      entities,
      (e) =>
        e.event === 'request_completed' &&
        e.path === `/api/v1/entities/${entity.id}` &&
        e.user_id === 'user_stranger' &&
        e.status_code === 404,
    );

    await logLine(orders, (e) => e.event === 'http_client_call' && e.user_id === 'user_stranger' && e.status === 404);
    const calls = orders.events.filter((e) => e.event === 'http_client_call').length;
    const anonymous = await fetch(`${orders.url}/api/v1/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ entity_id: entity.id, quantity: 1 }),
    });
    expect(anonymous.status).to.equal(401);
    await logLine(orders, (e) => e.event === 'request_completed' && e.status_code === 401);
    expect(orders.events.filter((e) => e.event === 'http_client_call').length).to.equal(calls);
  });
});
