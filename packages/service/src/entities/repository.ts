import type { Entity, EntityChanges, NewEntity, PageRequest, StoredPage } from './entity.js';

/**
 * The entity store port (example: `await repository.get(principal.userId, id) ?? notFound()`). Every call is scoped to one owner: an entity of another owner is
 * `undefined`/`false`, exactly like a missing one. Adapters throw {@link EntityStoreUnavailableError}
 * when the store cannot be reached, anything else when a statement fails.
 */
export interface EntityRepository {
  create(ownerId: string, entity: NewEntity): Promise<Entity>;
  /**
   * Newest first (`created_at DESC, id DESC`), from an offset or after a position (keyset: the
   * cost does not grow with depth), with the owner's total and the position after the page's last
   * row when more rows follow. Past the end: an empty page with the true count.
   */
  list(ownerId: string, page: PageRequest): Promise<StoredPage>;
  get(ownerId: string, id: string): Promise<Entity | undefined>;
  /** `changes` has at least one key. */
  update(ownerId: string, id: string, changes: EntityChanges): Promise<Entity | undefined>;
  /** Whether a row was deleted. */
  delete(ownerId: string, id: string): Promise<boolean>;
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
