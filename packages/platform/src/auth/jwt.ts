import { createSign, type KeyObject } from 'node:crypto';

/** A JWT header or payload as plain JSON. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Base64url without padding (RFC 7515 §2). @internal */
export function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * Joins header, payload and a signature made over `header.payload` by `sign`. Verification is
 * never done here: that is the Clerk SDK's job.
 *
 * @internal
 */
export function encodeJwt(header: JsonObject, payload: JsonObject, sign: (signingInput: string) => string): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${signingInput}.${sign(signingInput)}`;
}

/** An RS256 signer over a private key, for {@link encodeJwt}. @internal */
export function rs256Signer(privateKey: KeyObject): (signingInput: string) => string {
  return function signRs256(signingInput: string): string {
    return createSign('RSA-SHA256').update(signingInput).sign(privateKey).toString('base64url');
  };
}

/**
 * The decoded header of a compact JWT, or `undefined` when the token is not three base64url
 * parts with a JSON object first. Reads only the header; nothing here is trusted.
 *
 * @internal
 */
export function peekJwtHeader(token: string): JsonObject | undefined {
  const parts = token.split('.');
  // An empty signature is still a JWT shape (`alg: none`); the algorithm check refuses it.
  if (
    parts.length !== 3 ||
    !/^[A-Za-z0-9_-]+$/.test(parts[0]!) ||
    !/^[A-Za-z0-9_-]+$/.test(parts[1]!) ||
    !/^[A-Za-z0-9_-]*$/.test(parts[2]!)
  )
    return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && !Array.isArray(header) ? (header as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}
