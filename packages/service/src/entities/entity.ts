/** An entity as the API returns it: exactly these six fields. */
export interface Entity {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  /** The owner's user id (the token's `sub`); never taken from a request body. */
  readonly owner_id: string;
  /** ISO 8601 UTC. */
  readonly created_at: string;
  /** ISO 8601 UTC. */
  readonly updated_at: string;
}

/** What a caller supplies to create an entity. */
export interface NewEntity {
  readonly title: string;
  readonly description: string | null;
}

/** A partial update: only present keys change; `description: null` clears it. */
export interface EntityChanges {
  readonly title?: string;
  readonly description?: string | null;
}

/**
 * An entity and its version: a number every write bumps (a trigger of the migration), whose
 * strong `ETag` (`"3"`) GET, POST and PATCH answers carry and `If-Match` names.
 */
export interface VersionedEntity {
  readonly entity: Entity;
  readonly version: number;
}

/**
 * What a conditional write (`If-Match`) expects of the entity: to exist at any version (`*`), or to
 * be at one of these versions. The store compares it in the write's own statement.
 */
export type ExpectedVersion = 'any' | readonly number[];

/** How a conditional write ended when it did not happen: no such entity of this owner, or not at an expected version. */
export type WriteRefusal = 'not_found' | 'stale';

/** One page of an owner's entities as the API returns it: newest first, the owner's total, and where the next page starts. */
export interface EntityPage {
  readonly data: Entity[];
  readonly count: number;
  /** Opaque cursor of the next page; `null` on the last. */
  readonly next_cursor: string | null;
}

/**
 * Where a page ends in the listing order (`created_at DESC, id DESC`): the last row's creation
 * time to the microsecond (`2026-11-26T14:00:00.123456Z`, as the database stores it) and its id.
 */
export interface PagePosition {
  readonly createdAt: string;
  readonly id: string;
}

/** Which page to read: `limit` rows from `offset`, or the `limit` rows after a position (keyset). */
export type PageRequest = { readonly limit: number } & (
  | { readonly offset: number; readonly after?: undefined }
  | { readonly after: PagePosition; readonly offset?: undefined }
);

/** One page as a repository reads it: the rows, the owner's total, and the position after which the next page starts (`null` on the last). */
export interface StoredPage {
  readonly data: Entity[];
  readonly count: number;
  readonly next: PagePosition | null;
}

/**
 * The six columns, in response order (SQL and PostgREST select lists).
 *
 * @example
 * ENTITY_COLUMNS.join(','); // 'id,title,description,owner_id,created_at,updated_at'
 */
export const ENTITY_COLUMNS = ['id', 'title', 'description', 'owner_id', 'created_at', 'updated_at'] as const;

/**
 * A database row (timestamps as `Date` from SQL drivers, as text from PostgREST) as an {@link Entity}.
 *
 * @example
 * toEntity(rows[0]).created_at; // '2026-11-26T14:00:00.123Z'
 */
export function toEntity(row: Readonly<Record<string, unknown>>): Entity {
  const timestamp = (value: unknown): string => new Date(value as string | Date).toISOString();
  return {
    id: String(row.id),
    title: String(row.title),
    description: typeof row.description === 'string' ? row.description : null,
    owner_id: String(row.owner_id),
    created_at: timestamp(row.created_at),
    updated_at: timestamp(row.updated_at),
  };
}
