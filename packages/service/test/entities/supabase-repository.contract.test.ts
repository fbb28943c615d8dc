// Contract tests: PostgREST cannot run here, so these check the requests supabase-js 2.109.0 sends
// for each repository call and how the adapter reads the recorded PostgREST 12 answers (status,
// Content-Range, bodies, error shapes) replayed by a local HTTP server.
import { createClient } from '@supabase/supabase-js';
import { expect } from 'chai';
import request from 'supertest';
import ws from 'ws';
import { createSupabaseEntityRepository, type EntityRepository } from '../../src/entities/index.js';
import { openEntityStore } from '../../src/store.js';
import { as, buildApp, captureLog } from '../fixtures/app.js';
import { listen } from '../fixtures/http.js';
import { startPostgrestReplay, type PostgrestReplay } from '../fixtures/postgrest.js';

const KEY = 'service-role-key-for-contract-tests';
const ID = '3f0c2a4e-8c1b-4d7e-9a55-0b6a2f1c9e10';
const ROW = {
  id: ID,
  title: 'First',
  description: null,
  owner_id: 'user_alice',
  created_at: '2026-11-26T14:00:00.123456+00:00',
  updated_at: '2026-11-26T14:00:00.123456+00:00',
};
const ENTITY = { ...ROW, created_at: '2026-11-26T14:00:00.123Z', updated_at: '2026-11-26T14:00:00.123Z' };
const SELECT = 'select=id,title,description,owner_id,created_at,updated_at';
// Single entities are read with their version, the strong ETag of the API.
const VERSIONED_ROW = { ...ROW, version: 1 };
const SELECT_VERSIONED = `${SELECT},version`;

describe('createSupabaseEntityRepository (PostgREST contract)', () => {
  let postgrest: PostgrestReplay;
  let repository: EntityRepository;

  before(async () => {
    postgrest = await startPostgrestReplay();
    const client = createClient(postgrest.url, KEY, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: ws as never },
    });
    repository = createSupabaseEntityRepository(client);
  });
  after(() => postgrest.close());
  beforeEach(() => {
    postgrest.seen.length = 0;
  });

  function only(): (typeof postgrest.seen)[number] {
    expect(postgrest.seen).to.have.length(1);
    return postgrest.seen[0]!;
  }

  it('contract: create POSTs the row with the owner and reads the representation', async () => {
    postgrest.answer({ status: 201, headers: { 'Content-Range': '*/*' }, body: [VERSIONED_ROW] });
    expect(await repository.create('user_alice', { title: 'First', description: null })).to.deep.equal({
      entity: ENTITY,
      version: 1,
    });
    const seen = only();
    expect(seen).to.deep.include({
      method: 'POST',
      url: `/rest/v1/entities?${SELECT_VERSIONED}`,
      body: { title: 'First', description: null, owner_id: 'user_alice' },
    });
    expect(seen.headers).to.include({
      apikey: KEY,
      authorization: `Bearer ${KEY}`,
      prefer: 'return=representation',
      'content-profile': 'public',
    });
  });

  it('contract: list asks for the owner’s newest-first page with an exact count and reads it from Content-Range', async () => {
    postgrest.answer({ status: 206, headers: { 'Content-Range': '10-10/11' }, body: [ROW] });
    expect(await repository.list('user_alice', { offset: 10, limit: 5 })).to.deep.equal({
      data: [ENTITY],
      count: 11,
      next: null,
    });
    const seen = only();
    expect(seen.method).to.equal('GET');
    // One row more than the page: it tells whether another page follows.
    expect(seen.url).to.equal(
      `/rest/v1/entities?${SELECT}&owner_id=eq.user_alice&order=created_at.desc,id.desc&offset=10&limit=6`,
    );
    expect(seen.headers).to.include({ prefer: 'count=exact', 'accept-profile': 'public' });
  });

  it('contract: list past the end (416 PGRST103) answers an empty page with the true count', async () => {
    postgrest.answer(
      {
        status: 416,
        headers: { 'Content-Range': '*/3' },
        body: {
          code: 'PGRST103',
          details: 'An offset of 50 was requested, but there are only 3 rows.',
          hint: null,
          message: 'Requested range not satisfiable',
        },
      },
      { status: 200, headers: { 'Content-Range': '*/3' } },
    );
    expect(await repository.list('user_alice', { offset: 50, limit: 20 })).to.deep.equal({
      data: [],
      count: 3,
      next: null,
    });
    expect(postgrest.seen.map((s) => `${s.method} ${s.url}`)).to.deep.equal([
      `GET /rest/v1/entities?${SELECT}&owner_id=eq.user_alice&order=created_at.desc,id.desc&offset=50&limit=21`,
      'HEAD /rest/v1/entities?select=id&owner_id=eq.user_alice',
    ]);
  });

  it('contract: a full page reads one row more and gives the position of its last row, to the microsecond', async () => {
    const second = {
      ...ROW,
      id: '1a2b3c4d-0000-4000-8000-000000000002',
      created_at: '2026-11-26T13:59:59.000007+00:00',
    };
    postgrest.answer({ status: 206, headers: { 'Content-Range': '0-1/5' }, body: [ROW, second] });
    const page = await repository.list('user_alice', { offset: 0, limit: 1 });
    expect(page).to.deep.equal({
      data: [ENTITY],
      count: 5,
      next: { createdAt: '2026-11-26T14:00:00.123456Z', id: ID },
    });
    expect(only().url).to.equal(
      `/rest/v1/entities?${SELECT}&owner_id=eq.user_alice&order=created_at.desc,id.desc&offset=0&limit=2`,
    );
  });

  it('contract: a page after a position filters on (created_at, id) instead of an offset and counts the owner’s rows on their own', async () => {
    const after = { createdAt: '2026-11-26T14:00:00.123456Z', id: ID };
    const older = { ...ROW, id: '1a2b3c4d-0000-4000-8000-000000000002', created_at: '2026-11-26T13:00:00+00:00' };
    postgrest.answer(
      { method: 'GET', status: 200, body: [older] },
      { method: 'HEAD', status: 200, headers: { 'Content-Range': '*/7' } },
    );
    const page = await repository.list('user_alice', { after, limit: 2 });
    expect(page).to.deep.include({ count: 7, next: null });
    expect(page.data.map((entity) => entity.id)).to.deep.equal([older.id]);
    const urls = postgrest.seen.map((s) => `${s.method} ${s.url}`).sort();
    expect(urls).to.deep.equal([
      `GET /rest/v1/entities?${SELECT}&owner_id=eq.user_alice&or=(created_at.lt.${after.createdAt},and(created_at.eq.${after.createdAt},id.lt.${ID}))&order=created_at.desc,id.desc&limit=3`,
      'HEAD /rest/v1/entities?select=id&owner_id=eq.user_alice',
    ]);
    expect(postgrest.seen.find((s) => s.method === 'GET')!.headers.prefer).to.equal(undefined);
  });

  it('contract: get filters on id and owner; an empty array is not found', async () => {
    postgrest.answer({ status: 200, body: [{ ...ROW, version: 4 }] }, { status: 200, body: [] });
    expect(await repository.get('user_alice', ID)).to.deep.equal({ entity: ENTITY, version: 4 });
    expect(await repository.get('user_bob', ID)).to.equal(undefined);
    expect(postgrest.seen.map((s) => s.url)).to.deep.equal([
      `/rest/v1/entities?${SELECT_VERSIONED}&id=eq.${ID}&owner_id=eq.user_alice`,
      `/rest/v1/entities?${SELECT_VERSIONED}&id=eq.${ID}&owner_id=eq.user_bob`,
    ]);
  });

  it('contract: update PATCHes only the sent keys, filtered on id and owner', async () => {
    postgrest.answer(
      { status: 200, body: [{ ...VERSIONED_ROW, description: 'new', version: 2 }] },
      { status: 200, body: [] },
    );
    expect(await repository.update('user_alice', ID, { description: 'new' })).to.deep.equal({
      entity: { ...ENTITY, description: 'new' },
      version: 2,
    });
    expect(await repository.update('user_bob', ID, { title: 'stolen' })).to.equal('not_found');
    expect(postgrest.seen[0]).to.deep.include({
      method: 'PATCH',
      url: `/rest/v1/entities?id=eq.${ID}&owner_id=eq.user_alice&${SELECT_VERSIONED}`,
      body: { description: 'new' },
    });
    expect(postgrest.seen[0]!.headers).to.include({ prefer: 'return=representation' });
    expect(postgrest.seen[1]!.body).to.deep.equal({ title: 'stolen' });
  });

  it('contract: delete filters on id and owner and reports whether a row went', async () => {
    postgrest.answer({ status: 200, body: [{ id: ID }] }, { status: 200, body: [] });
    expect(await repository.delete('user_alice', ID)).to.equal('deleted');
    expect(await repository.delete('user_bob', ID)).to.equal('not_found');
    expect(postgrest.seen[0]).to.deep.include({
      method: 'DELETE',
      url: `/rest/v1/entities?id=eq.${ID}&owner_id=eq.user_alice&select=id`,
    });
  });

  it('contract: ping is one GET of one id, and fails on a wrong key (401) or a missing table (404)', async () => {
    postgrest.answer(
      { status: 200, headers: { 'Content-Range': '0-0/*' }, body: [{ id: ID }] },
      {
        status: 401,
        body: { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' },
      },
      {
        status: 404,
        body: {
          code: 'PGRST205',
          details: null,
          hint: null,
          message: "Could not find the table 'public.entities' in the schema cache",
        },
      },
    );
    await repository.ping();
    expect(postgrest.seen[0]).to.deep.include({ method: 'GET', url: '/rest/v1/entities?select=id&limit=1' });
    for (const status of [401, 404]) {
      let error: unknown;
      await repository.ping().catch((e: unknown) => {
        error = e;
      });
      expect(error).to.deep.include({ name: 'SupabaseQueryError', status });
    }
  });

  it('contract: a 503 is tried once (no 7 s of built-in retries) and reported as unavailable', async () => {
    postgrest.answer({ status: 503, body: { message: 'upstream connect error' } });
    let error: unknown;
    await repository.get('user_alice', ID).catch((e: unknown) => {
      error = e;
    });
    expect(postgrest.seen).to.have.length(1);
    expect(error).to.have.property('name', 'EntityStoreUnavailableError');
  });

  it('contract: a constraint violation (400 23514) is a query error, not unavailability', async () => {
    postgrest.answer({
      status: 400,
      body: {
        code: '23514',
        details: 'Failing row contains (...).',
        hint: null,
        message: 'new row for relation "entities" violates check constraint "entities_title_not_blank"',
      },
    });
    let error: unknown;
    await repository.create('user_alice', { title: 'x', description: null }).catch((e: unknown) => {
      error = e;
    });
    expect(error).to.deep.include({ name: 'SupabaseQueryError', code: '23514', status: 400 });
  });
});

describe('the Supabase store (PostgREST contract)', () => {
  it('contract: a PostgREST that stops answering fails the call as unavailable at DATABASE_TIMEOUT_MS, not when it answers', async () => {
    const postgrest = await startPostgrestReplay();
    const store = await openEntityStore(
      { kind: 'supabase', url: postgrest.url, serviceKey: KEY },
      { logger: captureLog().logger, timeoutMs: 300 },
    );
    try {
      postgrest.answer({ status: 200, hangs: true });
      const started = Date.now();
      let error: unknown;
      await store.repository.list('user_alice', { offset: 0, limit: 20 }).catch((e: unknown) => {
        error = e;
      });
      expect(error).to.have.property('name', 'EntityStoreUnavailableError');
      expect(Date.now() - started).to.be.within(250, 2000);
      // The next call goes out and is answered as usual.
      postgrest.answer({ status: 200, body: [VERSIONED_ROW] });
      expect(await store.repository.get('user_alice', ID)).to.deep.equal({ entity: ENTITY, version: 1 });
    } finally {
      await store.close();
      await postgrest.close();
    }
  });
});

describe('entities API on Supabase (PostgREST contract)', () => {
  it('contract: answers 503 DATABASE_UNAVAILABLE when PostgREST cannot be reached, and 500 ENTITY_LIST_FAILED for a wrong key, leaking neither', async () => {
    const postgrest = await startPostgrestReplay();
    const client = createClient(postgrest.url, KEY, {
      auth: { persistSession: false },
      realtime: { transport: ws as never },
    });
    const { app, log } = buildApp(createSupabaseEntityRepository(client));
    const server = await listen(app);
    try {
      postgrest.answer({
        status: 401,
        body: { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' },
      });
      const wrongKey = await request(server.url).get('/api/v1/entities').set(as('user_alice')).expect(500);
      expect(wrongKey.body).to.include({ code: 'ENTITY_LIST_FAILED', message: 'Failed to list entities' });
      await postgrest.close();
      const down = await request(server.url).get('/api/v1/entities').set(as('user_alice')).expect(503);
      expect(down.body).to.include({ code: 'DATABASE_UNAVAILABLE' });
      expect(JSON.stringify([wrongKey.body, down.body])).not.to.match(/Invalid API key|fetch failed/);
      expect(log.text()).not.to.contain(KEY);
    } finally {
      await server.close();
      await postgrest.close();
    }
  });
});
