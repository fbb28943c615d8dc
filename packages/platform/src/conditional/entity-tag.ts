// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text.
// obs-text (bytes 0x80-0xFF) is accepted when reading, never written.
const OPAQUE = /^[\x21\x23-\x7E]*$/;
const LIST_ITEM = /^(W\/)?"([\x21\x23-\x7E\x80-\xFF]*)"$/;

/** One entity tag of a conditional header, as read. */
export interface EntityTag {
  /** The opaque tag without its quotes. */
  readonly opaque: string;
  /** A weak tag (`W/"..."`): never equal to anything under the strong comparison `If-Match` uses. */
  readonly weak: boolean;
}

/**
 * A strong entity tag for a response's `ETag` header: `value` between double quotes. The value is
 * opaque to clients; make it change with every write of the resource (a version number bumped by
 * each update is steadier than a timestamp).
 *
 * @throws TypeError when `value` has a character an entity tag cannot hold (a double quote, a space, a control or non-ASCII character).
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.8.3
 * @example
 * entityTag(String(row.version)); // '"7"'
 */
export function entityTag(value: string): string {
  if (!OPAQUE.test(value))
    throw new TypeError(
      `entityTag(): ${JSON.stringify(value)} has a character an entity tag cannot hold (visible ASCII except ")`,
    );
  return `"${value}"`;
}

/**
 * The entity tags of an `If-Match` / `If-None-Match` value (`"a", W/"b"`), `'*'`, or `undefined`
 * when the value is not one of those (a tag without quotes, a stray comma-free word).
 * @internal
 */
export function parseEntityTags(value: string): readonly EntityTag[] | '*' | undefined {
  const text = value.trim();
  if (text === '*') return '*';
  const tags: EntityTag[] = [];
  // Tags hold no commas in practice (etagc allows them, no server of ours makes them), so a comma always separates.
  for (const part of text.split(',')) {
    const item = part.trim();
    // Empty list elements are allowed by the list syntax (RFC 9110 §5.6.1).
    if (item === '') continue;
    const match = LIST_ITEM.exec(item);
    if (match === null) return undefined;
    tags.push({ opaque: match[2]!, weak: match[1] !== undefined });
  }
  return tags.length === 0 ? undefined : tags;
}
