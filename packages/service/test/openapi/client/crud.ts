// A client of the entities API as another team would write it: types generated from the published
// document by openapi-typescript (`entities-api.d.ts`), calls made with openapi-fetch. No casts:
// if the document is wrong about a body, a status or a header, this file stops compiling or the
// run goes wrong. The test typechecks it with `tsc --strict` and runs it against the service.
import createClient from 'openapi-fetch';
import type { components, paths } from './entities-api.js';

type Entity = components['schemas']['Entity'];

/** What one run of the whole CRUD saw. */
export interface CrudReport {
  readonly created: Entity;
  readonly location: string;
  readonly listedIds: readonly string[];
  readonly pages: number;
  readonly fetched: Entity;
  readonly updated: Entity;
  readonly notFoundCode: string;
  readonly validationFields: readonly string[];
  readonly deletedStatus: number;
}

/** Creates, lists (paging by cursor), reads, updates and deletes one entity as the caller whose session token is given. */
export async function runCrud(baseUrl: string, token: string): Promise<CrudReport> {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

  const created = await client.POST('/api/v1/entities', {
    body: { title: 'Quarterly report', description: 'Figures for Q3' },
  });
  if (created.data === undefined) throw new Error(`create failed: ${created.error.code}`);
  const location = created.response.headers.get('Location') ?? '';
  await client.POST('/api/v1/entities', { body: { title: 'Second' } });

  const pageAfter = async (cursor: string | null) => {
    const page = await client.GET('/api/v1/entities', {
      params: { query: cursor === null ? { limit: 1 } : { limit: 1, cursor } },
    });
    if (page.data === undefined) throw new Error(`list failed: ${page.error.code}`);
    return page.data;
  };
  const listedIds: string[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const page = await pageAfter(cursor);
    listedIds.push(...page.data.map((entity) => entity.id));
    cursor = page.next_cursor;
    pages++;
  } while (cursor !== null);

  const fetched = await client.GET('/api/v1/entities/{id}', { params: { path: { id: created.data.id } } });
  if (fetched.data === undefined) throw new Error(`get failed: ${fetched.error.code}`);

  const updated = await client.PATCH('/api/v1/entities/{id}', {
    params: { path: { id: created.data.id } },
    body: { description: null },
  });
  if (updated.data === undefined) throw new Error(`update failed: ${updated.error.code}`);

  const invalid = await client.PATCH('/api/v1/entities/{id}', {
    params: { path: { id: created.data.id } },
    body: { title: '' },
  });
  const validationFields = invalid.error?.details?.map((detail) => detail.field) ?? [];

  const deleted = await client.DELETE('/api/v1/entities/{id}', { params: { path: { id: created.data.id } } });
  const missing = await client.GET('/api/v1/entities/{id}', { params: { path: { id: created.data.id } } });

  return {
    created: created.data,
    location,
    listedIds,
    pages,
    fetched: fetched.data,
    updated: updated.data,
    notFoundCode: missing.error?.code ?? 'none',
    validationFields,
    deletedStatus: deleted.response.status,
  };
}
