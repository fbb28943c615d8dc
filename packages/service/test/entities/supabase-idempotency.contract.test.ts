// Contract tests: PostgREST cannot run here, so these check the calls supabase-js 2.109.0 sends
// for keyed creates and conditional writes on Supabase (the functions of the migration, called as
// RPCs) and how the store reads the recorded PostgREST 12 answers replayed by a local server. The
// functions themselves run for real on PostgreSQL and PGlite in supabase-functions.test.ts.
import { createClient } from '@supabase/supabase-js';
import { expect } from 'chai';
import request from 'supertest';
import ws from 'ws';
import { createSupabaseEntityRepository } from '../../src/entities/index.js';
import { CLAIM_LEASE_SECONDS, createSupabaseIdempotencyStore } from '../../src/idempotency/index.js';
import { as, buildApp } from '../fixtures/app.js';
import { listen, type RunningServer } from '../fixtures/http.js';
import { startPostgrestReplay, type PostgrestReplay } from '../fixtures/postgrest.js';

const KEY = 'service-role-key-for-contract-tests';
const ID = '3f0c2a4e-8c1b-4d7e-9a55-0b6a2f1c9e10';
const CLAIMED = [{ outcome: 'claimed', fingerprint: null, status: null, headers: null, body: null }];

describe('keyed creates and conditional writes on Supabase (PostgREST contract)', () => {
  let postgrest: PostgrestReplay;
  let server: RunningServer;

  before(async () => {
    postgrest = await startPostgrestReplay();
    const client = createClient(postgrest.url, KEY, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: ws as never },
    });
    server = await listen(
      buildApp(createSupabaseEntityRepository(client), {}, undefined, createSupabaseIdempotencyStore(client)).app,
    );
  });
  after(async () => {
    await server.close();
    await postgrest.close();
  });
  beforeEach(() => {
    postgrest.seen.length = 0;
  });

  const create = (key: string, title: string) =>
    request(server.url).post('/api/v1/entities').set(as('user_alice')).set('Idempotency-Key', key).send({ title });

  it('contract: a first keyed create claims the key, then writes the entity and the record of its answer in one idempotency_complete call', async () => {
    postgrest.answer({ status: 200, body: CLAIMED }, { status: 204 });
    const res = await create('key-1', 'Deferred').expect(201);
    expect(postgrest.seen.map((s) => `${s.method} ${s.url}`)).to.deep.equal([
      'POST /rest/v1/rpc/idempotency_claim',
      'POST /rest/v1/rpc/idempotency_complete',
    ]);
    const [claim, complete] = postgrest.seen as [(typeof postgrest.seen)[number], (typeof postgrest.seen)[number]];
    expect(claim.headers).to.include({ apikey: KEY, authorization: `Bearer ${KEY}` });
    expect(claim.body).to.deep.include({
      p_caller: 'user_alice',
      p_route: 'POST /api/v1/entities',
      p_key: 'key-1',
      p_lease_seconds: CLAIM_LEASE_SECONDS,
      p_ttl_seconds: 86_400,
    });
    const args = complete.body as Record<string, unknown>;
    expect(args).to.deep.include({
      p_caller: 'user_alice',
      p_route: 'POST /api/v1/entities',
      p_key: 'key-1',
      p_claim: (claim.body as { p_claim: string }).p_claim,
      p_status: 201,
      p_body: res.text,
      p_ttl_seconds: 86_400,
    });
    expect(args.p_headers).to.deep.equal({
      location: `/api/v1/entities/${res.body.id as string}`,
      etag: '"1"',
      'content-type': 'application/json; charset=utf-8',
    });
    expect(args.p_fingerprint).to.match(/^[A-Za-z0-9_-]{43}$/);
    // The row the store inserts is the entity the caller got.
    expect(args.p_new_entity).to.deep.equal(res.body);
    expect(res.headers.etag).to.equal('"1"');
  });

  it('contract: a repeat whose claim finds the record is answered from it, byte for byte, with nothing written', async () => {
    postgrest.answer({ status: 200, body: CLAIMED }, { status: 204 });
    const first = await create('key-2', 'Replayed').expect(201);
    const recorded = postgrest.seen[1]!.body as {
      p_fingerprint: string;
      p_status: number;
      p_headers: Record<string, string>;
      p_body: string;
    };
    postgrest.seen.length = 0;
    postgrest.answer({
      status: 200,
      body: [
        {
          outcome: 'recorded',
          fingerprint: recorded.p_fingerprint,
          status: recorded.p_status,
          headers: recorded.p_headers,
          body: recorded.p_body,
        },
      ],
    });
    const again = await create('key-2', 'Replayed').expect(201);
    expect(again.text).to.equal(first.text);
    expect(again.headers).to.include({ 'idempotent-replayed': 'true', location: first.headers.location, etag: '"1"' });
    expect(postgrest.seen.map((s) => s.url)).to.deep.equal(['/rest/v1/rpc/idempotency_claim']);
    postgrest.answer({
      status: 200,
      body: [
        {
          outcome: 'recorded',
          fingerprint: recorded.p_fingerprint,
          status: recorded.p_status,
          headers: recorded.p_headers,
          body: recorded.p_body,
        },
      ],
    });
    await create('key-2', 'Another body').expect(422);
  });

  it('contract: a claim held by another process is 409 IDEMPOTENCY_KEY_IN_FLIGHT with Retry-After', async () => {
    postgrest.answer({
      status: 200,
      body: [{ outcome: 'in_flight', fingerprint: null, status: null, headers: null, body: null }],
    });
    const res = await create('key-3', 'Busy').expect(409);
    expect(res.body).to.include({ code: 'IDEMPOTENCY_KEY_IN_FLIGHT' });
    expect(res.headers['retry-after']).to.equal('1');
  });

  it('contract: when the write and record cannot be made (503), the caller gets 503 DATABASE_UNAVAILABLE and the claim is given up', async () => {
    postgrest.answer(
      { status: 200, body: CLAIMED },
      { status: 503, body: { message: 'upstream connect error' } },
      { status: 204 },
    );
    const res = await create('key-4', 'Unlucky').expect(503);
    expect(res.body).to.include({ code: 'DATABASE_UNAVAILABLE' });
    expect(postgrest.seen.map((s) => s.url)).to.deep.equal([
      '/rest/v1/rpc/idempotency_claim',
      '/rest/v1/rpc/idempotency_complete',
      '/rest/v1/rpc/idempotency_release',
    ]);
    expect(postgrest.seen[2]!.body).to.deep.equal({
      p_caller: 'user_alice',
      p_route: 'POST /api/v1/entities',
      p_key: 'key-4',
      p_claim: (postgrest.seen[0]!.body as { p_claim: string }).p_claim,
    });
  });

  it('contract: a lost claim (the function raises) records nothing and is a 500, its cause logged, never sent', async () => {
    postgrest.answer(
      { status: 200, body: CLAIMED },
      {
        status: 400,
        body: { code: 'P0002', details: null, hint: null, message: 'the claim on this idempotency key was lost' },
      },
      { status: 204 },
    );
    const res = await create('key-5', 'Too slow').expect(500);
    expect(res.text).not.to.contain('claim');
  });

  it('contract: the purge is one idempotency_purge call per batch', async () => {
    const store = createSupabaseIdempotencyStore(
      createClient(postgrest.url, KEY, { auth: { persistSession: false }, realtime: { transport: ws as never } }),
    );
    postgrest.answer({ status: 200, body: 7 });
    expect(await store.purgeExpired(500)).to.equal(7);
    expect(postgrest.seen[0]).to.deep.include({
      method: 'POST',
      url: '/rest/v1/rpc/idempotency_purge',
      body: { p_limit: 500 },
    });
  });

  it('contract: a PATCH with If-Match filters on the version in the update itself; no row and a row still there is 412', async () => {
    postgrest.answer({ status: 200, body: [] }, { status: 200, body: [{ id: ID }] });
    const res = await request(server.url)
      .patch(`/api/v1/entities/${ID}`)
      .set(as('user_alice'))
      .set('If-Match', '"3", W/"4"')
      .send({ title: 'Late' })
      .expect(412);
    expect(res.body).to.include({ code: 'PRECONDITION_FAILED' });
    expect(postgrest.seen[0]).to.deep.include({
      method: 'PATCH',
      url: `/rest/v1/entities?id=eq.${ID}&owner_id=eq.user_alice&version=in.(3)&select=id,title,description,owner_id,created_at,updated_at,version`,
      body: { title: 'Late' },
    });
    expect(postgrest.seen[1]).to.deep.include({
      method: 'GET',
      url: `/rest/v1/entities?select=id&id=eq.${ID}&owner_id=eq.user_alice`,
    });
    postgrest.seen.length = 0;
    postgrest.answer({ status: 200, body: [] }, { status: 200, body: [] });
    await request(server.url).delete(`/api/v1/entities/${ID}`).set(as('user_alice')).set('If-Match', '"3"').expect(404);
    expect(postgrest.seen[0]).to.deep.include({
      method: 'DELETE',
      url: `/rest/v1/entities?id=eq.${ID}&owner_id=eq.user_alice&version=in.(3)&select=id`,
    });
  });
});
