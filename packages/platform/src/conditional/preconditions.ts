import type { Request } from 'express';
import { createError } from '../errors/codes.js';
import type { ServiceError } from '../errors/service-error.js';
import { parseEntityTags } from './entity-tag.js';

/**
 * The `If-Match` condition of a write, as a route declared with `preconditions: { ifMatch: true }`
 * hands it to its handler: `*` (any current representation), or the strong tags the caller
 * holds (without quotes; weak tags are left out, as they never match under the strong
 * comparison). The store compares it in the write's own statement (compare-and-set), so that of
 * concurrent writers holding the same tag exactly one succeeds.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-13.1.1
 * @example
 * const expected = ifMatch === undefined ? undefined : ifMatch.any ? 'any' : ifMatch.tags.map(Number);
 */
export type IfMatch = { readonly any: true } | { readonly any: false; readonly tags: readonly string[] };

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The request's `If-Match`, `undefined` without one, or the 400 `BAD_REQUEST` its malformed value gets.
 * @internal
 */
export function readIfMatch(req: Request): IfMatch | undefined | ServiceError {
  const value = headerText(req.headers['if-match']);
  if (value === undefined) return undefined;
  const tags = parseEntityTags(value);
  if (tags === undefined)
    return createError('BAD_REQUEST', {
      message: 'If-Match must be * or a list of entity tags in double quotes ("...").',
    });
  if (tags === '*') return Object.freeze({ any: true as const });
  return Object.freeze({
    any: false as const,
    tags: Object.freeze(tags.filter((tag) => !tag.weak).map((tag) => tag.opaque)),
  });
}

/**
 * The request's `If-None-Match`: `'*'`, the tags (weak or strong, compared weakly), `undefined`
 * without one, or the 400 `BAD_REQUEST` its malformed value gets.
 * @internal
 */
export function readIfNoneMatch(req: Request): '*' | readonly string[] | undefined | ServiceError {
  const value = headerText(req.headers['if-none-match']);
  if (value === undefined) return undefined;
  const tags = parseEntityTags(value);
  if (tags === undefined)
    return createError('BAD_REQUEST', {
      message: 'If-None-Match must be * or a list of entity tags in double quotes ("...").',
    });
  return tags === '*' ? '*' : tags.map((tag) => tag.opaque);
}

/**
 * Whether `If-Match` allows a write to a resource whose current strong tag is `current` (its
 * opaque value, without quotes): `*` allows any existing resource, a list allows it when it
 * names `current`. Stores that cannot compare in their write statement use this on a value they
 * read under a lock; for a write without a store in between (`PATCH {}` changes nothing), it is
 * the whole check.
 *
 * @example
 * if (!ifMatchAllows(ifMatch, String(entity.version))) throw createError('PRECONDITION_FAILED');
 */
export function ifMatchAllows(ifMatch: IfMatch | undefined, current: string): boolean {
  if (ifMatch === undefined || ifMatch.any) return true;
  return ifMatch.tags.includes(current);
}

/**
 * Whether `If-None-Match` (as read) names the answer's `ETag` (weak comparison, RFC 9110 §13.1.2),
 * so a GET is answered 304.
 * @internal
 */
export function noneMatchHolds(ifNoneMatch: '*' | readonly string[], etag: string | undefined): boolean {
  if (etag === undefined) return false;
  if (ifNoneMatch === '*') return true;
  const tags = parseEntityTags(etag);
  if (tags === undefined || tags === '*') return false;
  const current = tags[0]!.opaque;
  return ifNoneMatch.includes(current);
}
