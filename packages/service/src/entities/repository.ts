import type {
  EntityChanges,
  ExpectedVersion,
  NewEntity,
  PageRequest,
  StoredPage,
  VersionedEntity,
  WriteRefusal,
} from './entity.js';

/**
 * The entity store port (example: `await repository.get(principal.userId, id) ?? notFound()`). Every call is scoped to one owner: an entity of another owner is
 * `undefined`/`false`, exactly like a missing one. Adapters throw {@link EntityStoreUnavailableError}
 * when the store cannot be reached, anything else when a statement fails.
 */
export interface EntityRepository {
  create(ownerId: string, entity: NewEntity): Promise<VersionedEntity>;
  /**
   * Newest first (`created_at DESC, id DESC`), from an offset or after a position (keyset: the
   * cost does not grow with depth), with the owner's total and the position after the page's last
   * row when more rows follow. Past the end: an empty page with the true count.
   */
  list(ownerId: string, page: PageRequest): Promise<StoredPage>;
  get(ownerId: string, id: string): Promise<VersionedEntity | undefined>;
  /**
   * `changes` has at least one key. With `expected`, the version is compared in the update's own
   * statement (compare-and-set): of concurrent writers expecting the same version, one wins and
   * the others get `'stale'`.
   */
  update(
    ownerId: string,
    id: string,
    changes: EntityChanges,
    expected?: ExpectedVersion,
  ): Promise<VersionedEntity | WriteRefusal>;
  /** Deletes the row, compared with `expected` in the delete's own statement when given. */
  delete(ownerId: string, id: string, expected?: ExpectedVersion): Promise<'deleted' | WriteRefusal>;
  /** Resolves when the store answers a read of the entities table with the service's credentials (readiness). */
  ping(): Promise<void>;
}

/**
 * The store could not be reached (connection refused, dropped, timed out, closed). Recognised by
 * `name`, so the service maps it to 503 DATABASE_UNAVAILABLE.
 *
 * @example
 * throw new EntityStoreUnavailableError('connection refused', { cause: error });
 */
export class EntityStoreUnavailableError extends Error {
  override readonly name = 'EntityStoreUnavailableError';
}

/**
 * Whether an error is an {@link EntityStoreUnavailableError} (by name, not `instanceof`).
 *
 * @example
 * if (isEntityStoreUnavailable(error)) throw createError('DATABASE_UNAVAILABLE', { cause: error });
 */
export function isEntityStoreUnavailable(error: unknown): boolean {
  return error instanceof Error && error.name === 'EntityStoreUnavailableError';
}
