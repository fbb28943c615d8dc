import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import {
  createAuth,
  createIdempotency,
  createRouteGroup,
  createServiceApp,
  createError,
  defineRoute,
  joi,
  loadConfig,
  type Idempotency,
} from '../../src/index.js';
import { type IdempotencyStore } from '../../src/public/idempotency.js';
import { createMemoryIdempotencyStore, createTestKeyPair, signSessionToken } from '../../src/testing/index.js';
import { captureLogger } from '../helpers.js';

const keys = createTestKeyPair();
const bearer = (userId: string) => ({
  Authorization: `Bearer ${signSessionToken(keys, { userId }, { expiresIn: 3600 })}`,
});
const ALICE = bearer('user_alice');
const BOB = bearer('user_bob');

interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}
function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** An app with keyed routes whose handlers do what the test says, counting their runs. */
function keyedApp(
  store: IdempotencyStore = createMemoryIdempotencyStore(),
  idempotency: Idempotency = createIdempotency({ store }),
) {
  const config = loadConfig({ env: { CLERK_JWT_KEY: keys.publicKeyPem }, envFile: false });
  const { logger } = captureLogger();
  const auth = createAuth({ config, logger });
  const runs: string[] = [];
  let next: 'created' | 'not found' | 'conflict' | 'crash' | Gate = 'created';
  const item = joi.object<{ id: number; name: string }, true>({
    id: joi.number().required(),
    name: joi.string().required(),
  });
  const body = joi.object<{ name: string }, true>({ name: joi.string().required() });
  const group = createRouteGroup({
    basePath: '/api/v1/items',
    auth,
    idempotency,
    routes: [
      defineRoute({
        method: 'post',
        path: '/',
        operationId: 'createItem',
        summary: 'Create',
        auth: true,
        idempotencyKey: 'optional',
        request: { body },
        responses: {
          201: {
            description: 'Created',
            schema: item,
            headers: { Location: { description: 'Where', required: true } },
          },
        },
        errors: ['ROUTE_NOT_FOUND', 'CONFLICT'],
        handler: async ({ body: { name } }) => {
          runs.push(name);
          const now = next;
          if (typeof now === 'object') await now.opened;
          if (now === 'not found') throw createError('ROUTE_NOT_FOUND', { message: 'No such parent' });
          if (now === 'conflict') throw createError('CONFLICT');
          if (now === 'crash') throw new Error('the handler crashed');
          return {
            status: 201,
            body: { id: runs.length, name },
            headers: { Location: `/api/v1/items/${runs.length}` },
          };
        },
      }),
      defineRoute({
        method: 'put',
        path: '/:name',
        operationId: 'putItem',
        summary: 'Put, key required',
        auth: true,
        idempotencyKey: 'required',
        request: { params: joi.object<{ name: string }, true>({ name: joi.string().required() }) },
        responses: { 204: { description: 'Done' } },
        handler: ({ params }) => {
          runs.push(`put ${params.name}`);
          return { status: 204 };
        },
      }),
    ],
  });
  const app: Express = createServiceApp({ config, logger, routes: group });
  return {
    app,
    runs,
    next: (what: typeof next): void => {
      next = what;
    },
  };
}

describe('idempotency keys (createIdempotency with defineRoute({ idempotencyKey }))', () => {
  const post = (app: Express, key: string | undefined, name: string, who = ALICE) => {
    const call = request(app).post('/api/v1/items').set(who).send({ name });
    return key === undefined ? call : call.set('Idempotency-Key', key);
  };

  it('replays the first answer byte for byte, with Idempotent-Replayed: true and only the headers that matter, and runs the handler once', async () => {
    const { app, runs } = keyedApp();
    const first = await post(app, 'k1', 'lamp').expect(201);
    const again = await post(app, 'k1', 'lamp').expect(201);
    expect(again.text).to.equal(first.text);
    expect(again.headers).to.include({
      'idempotent-replayed': 'true',
      location: '/api/v1/items/1',
      'content-type': 'application/json; charset=utf-8',
    });
    expect(first.headers['idempotent-replayed']).to.equal(undefined);
    expect(runs).to.deep.equal(['lamp']);
  });

  it('treats JSON that differs only in key order and spacing as the same body', async () => {
    const { app, runs } = keyedApp();
    await request(app)
      .post('/api/v1/items')
      .set(ALICE)
      .set('Idempotency-Key', 'k')
      .set('Content-Type', 'application/json')
      .send('{"name":"a"}')
      .expect(201);
    await request(app)
      .post('/api/v1/items')
      .set(ALICE)
      .set('Idempotency-Key', 'k')
      .set('Content-Type', 'application/json')
      .send('{ "name" : "a" }')
      .expect(201)
      .expect('Idempotent-Replayed', 'true');
    expect(runs).to.have.length(1);
  });

  it('records a 4xx the handler gives (a 404), and replays it with the request id of the request that produced it', async () => {
    const { app, runs, next } = keyedApp();
    next('not found');
    const first = await post(app, 'k404', 'orphan').expect(404);
    next('created');
    const again = await post(app, 'k404', 'orphan').expect(404);
    expect(again.text).to.equal(first.text);
    expect(again.body).to.include({
      code: 'ROUTE_NOT_FOUND',
      message: 'No such parent',
      request_id: first.headers['x-request-id'],
    });
    expect(again.headers['idempotent-replayed']).to.equal('true');
    expect(runs).to.have.length(1);
  });

  it('records nothing for a 409 or a 5xx from the handler: the key is released and a retry runs again', async () => {
    const { app, runs, next } = keyedApp();
    next('conflict');
    await post(app, 'k', 'x').expect(409);
    next('crash');
    const crashed = await post(app, 'k', 'x').expect(500);
    expect(crashed.body).to.include({ code: 'INTERNAL_ERROR' });
    expect(crashed.text).not.to.contain('crashed');
    next('created');
    await post(app, 'k', 'x').expect(201);
    expect(runs).to.have.length(3);
  });

  it('answers 409 IDEMPOTENCY_KEY_IN_FLIGHT with Retry-After to a repeat while the first runs, without queueing it', async () => {
    const { app, runs, next } = keyedApp();
    const held = gate();
    next(held);
    const first = post(app, 'slow', 'slow').then((res) => res);
    while (runs.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const repeat = await post(app, 'slow', 'slow').expect(409);
    expect(repeat.body).to.include({ error: 'CONFLICT', code: 'IDEMPOTENCY_KEY_IN_FLIGHT' });
    expect(repeat.headers['retry-after']).to.equal('1');
    held.open();
    expect((await first).status).to.equal(201);
    await post(app, 'slow', 'slow').expect(201).expect('Idempotent-Replayed', 'true');
    expect(runs).to.have.length(1);
  });

  it('sees a key held by another app on the same store as in flight (what two processes on one database see)', async () => {
    const store = createMemoryIdempotencyStore();
    const one = keyedApp(store);
    const other = keyedApp(store);
    const held = gate();
    one.next(held);
    const first = post(one.app, 'shared', 'x').then((res) => res);
    while (one.runs.length === 0) await new Promise((resolve) => setImmediate(resolve));
    await post(other.app, 'shared', 'x').expect(409);
    held.open();
    await first;
    await post(other.app, 'shared', 'x').expect(201).expect('Idempotent-Replayed', 'true');
    expect(other.runs).to.deep.equal([]);
  });

  it('refuses a key used with another body (422 IDEMPOTENCY_KEY_REUSED), keeps keys apart per caller and per route, and refuses malformed keys (400)', async () => {
    const { app, runs } = keyedApp();
    await post(app, 'k', 'first').expect(201);
    const reused = await post(app, 'k', 'second').expect(422);
    expect(reused.body).to.include({ error: 'VALIDATION_ERROR', code: 'IDEMPOTENCY_KEY_REUSED' });
    await post(app, 'k', 'first', BOB).expect(201);
    await request(app).put('/api/v1/items/first').set(ALICE).set('Idempotency-Key', 'k').expect(204);
    expect(runs).to.deep.equal(['first', 'first', 'put first']);
    for (const bad of ['', ' ', 'a b', 'é', 'k'.repeat(256), 'tab\there']) {
      const res = await request(app).post('/api/v1/items').set(ALICE).set('Idempotency-Key', bad).send({ name: 'x' });
      expect(res.status, JSON.stringify(bad)).to.equal(400);
      expect(res.body.code).to.equal('IDEMPOTENCY_KEY_INVALID');
    }
    await post(app, 'k'.repeat(255), 'long').expect(201);
  });

  it('records nothing for a request refused before its handler (401, 422), and asks for a key where it is required', async () => {
    const { app, runs } = keyedApp();
    await request(app).post('/api/v1/items').set('Idempotency-Key', 'k').send({ name: 'x' }).expect(401);
    await request(app).post('/api/v1/items').set(ALICE).set('Idempotency-Key', 'k').send({ nope: 1 }).expect(422);
    await post(app, 'k', 'x').expect(201);
    const missing = await request(app).put('/api/v1/items/x').set(ALICE).expect(400);
    expect(missing.body).to.include({ code: 'IDEMPOTENCY_KEY_MISSING' });
    expect(runs).to.deep.equal(['x']);
  });

  it('leaves a request without the header as it was: every one runs', async () => {
    const { app, runs } = keyedApp();
    await post(app, undefined, 'a').expect(201);
    await post(app, undefined, 'a').expect(201);
    expect(runs).to.have.length(2);
  });
});

describe('createIdempotency', () => {
  it('rejects nonsense options', () => {
    const store = createMemoryIdempotencyStore();
    expect(() => createIdempotency({ store, ttlSeconds: 0 })).to.throw(TypeError, /ttlSeconds/);
    expect(() => createIdempotency({ store, purgeIntervalMs: 1.5 })).to.throw(TypeError, /purgeIntervalMs/);
    expect(() => createIdempotency({ store, purgeBatch: -1 })).to.throw(TypeError, /purgeBatch/);
  });

  it('counts an expired record as absent and purges expired records in batches, in the background once started, until closed', async () => {
    let now = 1_000_000;
    const store = createMemoryIdempotencyStore({ now: () => now });
    const idempotency = createIdempotency({ store, ttlSeconds: 60, purgeBatch: 2 });
    const { app, runs } = keyedApp(store, idempotency);
    for (const key of ['a', 'b', 'c'])
      await request(app).post('/api/v1/items').set(ALICE).set('Idempotency-Key', key).send({ name: key }).expect(201);
    now += 60_000;
    await request(app)
      .post('/api/v1/items')
      .set(ALICE)
      .set('Idempotency-Key', 'a')
      .send({ name: 'a' })
      .expect(201)
      .expect((res) => expect(res.headers['idempotent-replayed']).to.equal(undefined));
    expect(runs).to.deep.equal(['a', 'b', 'c', 'a']);
    expect(store.size()).to.equal(3);
    const log = captureLogger();
    const background = createIdempotency({ store, ttlSeconds: 60, purgeBatch: 1, logger: log.logger });
    background.start();
    background.start();
    await background.close();
    expect(store.size()).to.equal(1);
    expect(log.entries().find((e) => e.event === 'idempotency_records_purged')).to.include({ purged: 2 });
  });

  it('logs a purge that fails and goes on', async () => {
    const log = captureLogger();
    const failing: IdempotencyStore = {
      withKey: () => Promise.reject(new Error('unused')),
      purgeExpired: () => Promise.reject(new Error('database down')),
    };
    const idempotency = createIdempotency({ store: failing, logger: log.logger });
    idempotency.start();
    await idempotency.close();
    expect(log.entries().find((e) => e.event === 'idempotency_purge_failed')).to.include({
      level: 'warn',
      error: 'database down',
    });
  });
});

describe('defineRoute and createRouteGroup: the opt-in fields', () => {
  const base = {
    path: '/',
    operationId: 'op',
    summary: 's',
    responses: { 200: { description: 'ok' } },
    handler: () => ({ status: 200 as const }),
  };

  it('refuses what cannot work, at declaration', () => {
    expect(() => defineRoute({ ...base, method: 'get', auth: true, idempotencyKey: 'optional' })).to.throw(
      TypeError,
      /a GET is idempotent already/,
    );
    expect(() => defineRoute({ ...base, method: 'post', idempotencyKey: 'optional' })).to.throw(
      TypeError,
      /needs auth/,
    );
    expect(() => defineRoute({ ...base, method: 'post', auth: true, idempotencyKey: 'always' as never })).to.throw(
      TypeError,
      /'optional' or 'required'/,
    );
    expect(() => defineRoute({ ...base, method: 'get', preconditions: { ifMatch: true } })).to.throw(
      TypeError,
      /ifMatch is for PUT, PATCH and DELETE/,
    );
    expect(() => defineRoute({ ...base, method: 'patch', preconditions: { ifNoneMatch: true } })).to.throw(
      TypeError,
      /ifNoneMatch is for GET/,
    );
    expect(() => defineRoute({ ...base, method: 'get', preconditions: { ifNoneMatch: true } })).to.throw(
      TypeError,
      /required ETag header/,
    );
    const keyed = defineRoute({ ...base, method: 'post', auth: true, idempotencyKey: 'optional' });
    const auth = {
      requireAuth: () => (_req: unknown, _res: unknown, next: () => void) => next(),
      requireRole: () => (_req: unknown, _res: unknown, next: () => void) => next(),
    };
    expect(() => createRouteGroup({ basePath: '/api/v1/x', auth, routes: [keyed] })).to.throw(
      TypeError,
      /got no `idempotency`/,
    );
  });
});
