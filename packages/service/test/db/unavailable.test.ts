import { expect } from 'chai';
import { createPgClient, isSqlUnavailableError } from '../../src/db/index.js';
import { testDatabase } from '../fixtures/databases.js';

describe('isSqlUnavailableError', () => {
  it('is true for a refused connection to a real socket', async () => {
    const db = createPgClient({ connectionString: 'postgres://postgres@127.0.0.1:1/none', timeoutMs: 2000 });
    let error: unknown;
    await db.query('select 1').catch((e: unknown) => {
      error = e;
    });
    await db.close();
    expect(isSqlUnavailableError(error)).to.equal(true);
  });

  it('is true for a closed client', async () => {
    const db = createPgClient({ connectionString: 'postgres://postgres@127.0.0.1:1/none' });
    await db.close();
    let error: unknown;
    await db.query('select 1').catch((e: unknown) => {
      error = e;
    });
    expect(isSqlUnavailableError(error)).to.equal(true);
  });

  it('is false for a failing statement', async () => {
    let error: unknown;
    await testDatabase('pglite')
      .db.query('select * from no_such_table')
      .catch((e: unknown) => {
        error = e;
      });
    expect(error).to.be.instanceOf(Error);
    expect(isSqlUnavailableError(error)).to.equal(false);
  });

  it('is true for server shutdown and connection-exception SQLSTATEs, false for others and non-errors', () => {
    expect(isSqlUnavailableError({ code: '57P01' })).to.equal(true);
    expect(isSqlUnavailableError({ code: '08006' })).to.equal(true);
    expect(isSqlUnavailableError({ code: '42P01' })).to.equal(false);
    expect(isSqlUnavailableError(new Error('PGlite is closed'))).to.equal(true);
    expect(isSqlUnavailableError('ECONNREFUSED')).to.equal(false);
  });
});
