import type { SqlClient } from '../db/sql-client.js';
import { isSqlUnavailableError } from '../db/unavailable.js';
import { ENTITY_COLUMNS, toEntity, type Entity, type EntityChanges, type NewEntity, type PageRequest, type StoredPage } from './entity.js';
import { positionOf } from './position.js';
import { EntityStoreUnavailableError, type EntityRepository } from './repository.js';

const COLUMNS = ENTITY_COLUMNS.join(', ');

type Row = Record<string, unknown>;

/**
 * The {@link EntityRepository} in plain, parametrised SQL over a {@link SqlClient} (PGlite or a
 * PostgreSQL server). Every statement filters on `owner_id`.
 *
 * @example
 * const repository = createSqlEntityRepository(await createPgliteClient());
 * await repository.create('user_123', { title: 'First', description: null });
 */
export function createSqlEntityRepository(db: SqlClient): EntityRepository {
  async function run(text: string, params: readonly unknown[]): Promise<Row[]> {
    try {
      return await db.query<Row>(text, params);
    } catch (error) {
      if (isSqlUnavailableError(error)) throw new EntityStoreUnavailableError('the database cannot be reached', { cause: error });
      throw error;
    }
  }

  return {
    async create(ownerId: string, entity: NewEntity): Promise<Entity> {
      const rows = await run(`insert into public.entities (title, description, owner_id) values ($1, $2, $3) returning ${COLUMNS}`, [entity.title, entity.description, ownerId]);
      if (rows[0] === undefined) throw new Error('entity insert returned no row');
      return toEntity(rows[0]);
    },

    async list(ownerId: string, page: PageRequest): Promise<StoredPage> {
      // One statement, one snapshot: the count row always comes back, the page rows only when
      // there are any, so a page past the end still carries the true count. One row more than
      // the page tells whether another page follows. After a position, the page starts with a
      // keyset predicate on (created_at, id), not an offset: its cost does not grow with depth.
      const [start, params] =
        page.after === undefined
          ? ['offset $3', [ownerId, page.limit + 1, page.offset]]
          : ['', [ownerId, page.limit + 1, page.after.createdAt, page.after.id]];
      const after = page.after === undefined ? '' : 'and (created_at, id) < ($3::timestamptz, $4::uuid)';
      const rows = await run(
        `select c.total, e.* from (select count(*)::int as total from public.entities where owner_id = $1) c
         left join lateral (
           select ${COLUMNS}, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as position
           from public.entities where owner_id = $1 ${after}
           order by created_at desc, id desc ${start} limit $2
         ) e on true
         order by e.created_at desc, e.id desc`,
        params,
      );
      const count = Number(rows[0]?.total ?? 0);
      const listed = rows.filter((row) => row.id !== null);
      const data = listed.slice(0, page.limit);
      return { data: data.map(toEntity), count, next: listed.length > page.limit ? positionOf(data[data.length - 1]!) : null };
    },

    async get(ownerId: string, id: string): Promise<Entity | undefined> {
      const rows = await run(`select ${COLUMNS} from public.entities where id = $1 and owner_id = $2`, [id, ownerId]);
      return rows[0] === undefined ? undefined : toEntity(rows[0]);
    },

    async update(ownerId: string, id: string, changes: EntityChanges): Promise<Entity | undefined> {
      // Column names come from this fixed list, never from the request; values are parameters.
      const sets: string[] = [];
      const values: unknown[] = [id, ownerId];
      for (const column of ['title', 'description'] as const) {
        if (!(column in changes)) continue;
        values.push(changes[column]);
        sets.push(`${column} = $${values.length}`);
      }
      const rows = await run(`update public.entities set ${sets.join(', ')} where id = $1 and owner_id = $2 returning ${COLUMNS}`, values);
      return rows[0] === undefined ? undefined : toEntity(rows[0]);
    },

    async delete(ownerId: string, id: string): Promise<boolean> {
      const rows = await run('delete from public.entities where id = $1 and owner_id = $2 returning id', [id, ownerId]);
      return rows.length > 0;
    },

    async ping(): Promise<void> {
      await run('select id from public.entities limit 1', []);
    },
  };
}
