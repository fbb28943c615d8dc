import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * The fingerprint of a keyed request: SHA-256 (base64url) of its method, route template and
 * canonical JSON body (RFC 8785: keys sorted, no whitespace, numbers in their shortest form), so a
 * repeat whose JSON differs only in key order or spacing is the same request.
 * @internal
 */
export function requestFingerprint(route: string, body: unknown): string {
  let canonical: string;
  try {
    canonical = body === undefined ? '' : (canonicalize(body) ?? '');
  } catch {
    // RFC 8785 refuses lone surrogates, which a JSON body may spell (`"\ud800"`): the plain
    // serialisation still tells two bodies apart, only key order then counts.
    canonical = `!${JSON.stringify(body)}`;
  }
  return createHash('sha256').update(route).update('\n').update(canonical).digest('base64url');
}
