import { expect } from 'chai';
import { createPgClient, type SqlClient } from '../../src/db/index.js';
import { createSqlEntityRepository } from '../../src/entities/index.js';
import { DATABASE_TARGETS, serverTestUrl } from '../fixtures/databases.js';

// Named statements on the PostgreSQL server: prepared once per pooled connection, and still
// bounded by the client-side deadline (a connection that hit it is destroyed, and the next one
// prepares the statement afresh).
(DATABASE_TARGETS.includes('postgres') ? describe : describe.skip)('prepared statements on postgres', () => {
  let db: SqlClient;
  beforeEach(() => {
    db = createPgClient({ connectionString: serverTestUrl(), max: 1, timeoutMs: 300 });
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
    const before = await db.query<{ pid: number }>('select pg_backend_pid() as pid', [], { name: 'backend_pid' });
    const error = await db.query('select pg_sleep(2)', [], { name: 'sleepy' }).catch((failure: unknown) => failure);
    expect(error).to.have.property('name', 'DatabaseDeadlineError');
    const after = await db.query<{ pid: number }>('select pg_backend_pid() as pid', [], { name: 'backend_pid' });
    expect(after[0]!.pid).not.to.equal(before[0]!.pid);
    expect(await db.query('select 1 as one', [], { name: 'one' })).to.deep.equal([{ one: 1 }]);
  });
});
