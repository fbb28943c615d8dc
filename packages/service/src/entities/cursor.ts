import { createHash } from 'node:crypto';
import type { PagePosition } from './entity.js';
import { utcMicros } from './position.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// A short fingerprint of the owner: a cursor from another owner's listing is refused instead of
// silently paging through the caller's own rows from someone else's position.
function ownerTag(ownerId: string): string {
  return createHash('sha256').update(ownerId).digest('base64url').slice(0, 11);
}

/**
 * The opaque `next_cursor` of a page: base64url of `{v, t, i, o}`, the position after which the
 * next page starts (creation time to the microsecond and id) and the owner's fingerprint. It is
 * not a secret and not signed: every query is scoped to the caller's own rows, so a forged cursor
 * can only move within them; it needs no key, so it survives restarts and works on every replica.
 *
 * @example
 * encodeCursor('user_123', { createdAt: '2026-11-26T14:00:00.123456Z', id: '3f0c2a4e-8c1b-4d7e-9a55-0b6a2f1c9e10' });
 */
export function encodeCursor(ownerId: string, position: PagePosition): string {
  return Buffer.from(JSON.stringify({ v: 1, t: position.createdAt, i: position.id, o: ownerTag(ownerId) })).toString(
    'base64url',
  );
}

/**
 * The position a cursor of this owner's listing stands for, or `undefined` when it is not one:
 * garbage, an unknown version, a bad timestamp or id, or another owner's cursor.
 *
 * @example
 * const after = decodeCursor(principal.userId, query.cursor) ?? refuse();
 */
export function decodeCursor(ownerId: string, cursor: string): PagePosition | undefined {
  const bytes = Buffer.from(cursor, 'base64url');
  // Node's decoder skips what it cannot read: only the canonical spelling of the bytes is one of ours.
  if (bytes.toString('base64url') !== cursor) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof decoded !== 'object' || decoded === null) return undefined;
  const { v, t, i, o } = decoded as Record<string, unknown>;
  if (v !== 1 || typeof t !== 'string' || typeof i !== 'string' || o !== ownerTag(ownerId) || !UUID.test(i))
    return undefined;
  const createdAt = utcMicros(t);
  return createdAt === t ? { createdAt, id: i } : undefined;
}
