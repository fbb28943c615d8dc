import { expect } from 'chai';
import { createPgClient, type SqlClient } from '../../src/db/index.js';
import { createSqlEntityRepository } from '../../src/entities/index.js';
import { DATABASE_TARGETS, serverTestUrl } from '../fixtures/databases.js';
import { serverAddress } from '../fixtures/scratch-database.js';
import { startTcpProxy } from '../fixtures/tcp-proxy.js';

// Named statements on the PostgreSQL server: prepared once per pooled connection, and still
// bounded by the client-side deadline (a connection that hit it is destroyed, and the next one
// prepares the statement afresh).
(DATABASE_TARGETS.includes('postgres') ? describe : describe.skip)('prepared statements on postgres', () => {
  let db: SqlClient;
  beforeEach(() => {
    db = createPgClient({ connectionString: serverTestUrl(), max: 1 });
  });
  afterEach(() => db.close());

  it('prepares each of the repository’s statements once per connection', async () => {
    const repository = createSqlEntityRepository(db);
    for (let i = 0; i < 3; i++) await repository.list('user_prepared', { limit: 5, offset: 0 });
    await repository.get('user_prepared', '3f0c2a4e-8c1b-4d7e-9a55-0b6a2f1c9e10');
    const prepared = await db.query<{ name: string }>('select name from pg_prepared_statements order by name');
    expect(prepared.map((row) => row.name)).to.deep.equal(['entities_get', 'entities_list_offset']);
  });

  it('keeps the deadline: a named statement past it fails, its connection is replaced, and the name works again', async () => {
    // A proxy that freezes like a partitioned host: the server never sees the statement, so only the client-side deadline can end it.
    const proxy = await startTcpProxy(serverAddress());
    const url = new URL(serverTestUrl());
    url.host = `127.0.0.1:${proxy.port}`;
    const frozen = createPgClient({ connectionString: url.href, max: 1, timeoutMs: 1000 });
    try {
      const before = await frozen.query<{ pid: number }>('select pg_backend_pid() as pid', [], { name: 'backend_pid' });
      proxy.hold();
      const error = await frozen
        .query('select pg_backend_pid() as pid', [], { name: 'backend_pid' })
        .catch((failure: unknown) => failure);
      expect(error).to.have.property('name', 'DatabaseDeadlineError');
      proxy.release();
      // A new connection, on which the name is prepared afresh (the server would refuse an unknown one).
      const after = await frozen.query<{ pid: number }>('select pg_backend_pid() as pid', [], { name: 'backend_pid' });
      expect(after[0]!.pid).not.to.equal(before[0]!.pid);
    } finally {
      proxy.release();
      await frozen.close();
      await proxy.close();
    }
  });
});
