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

/** One page of an owner's entities, newest first, with the owner's total count. */
export interface EntityPage {
  readonly data: readonly Entity[];
  readonly count: number;
}

/** Which page to read. */
export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
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
