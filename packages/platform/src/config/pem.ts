import { createPublicKey } from 'node:crypto';

const PEM = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/;

/**
 * A PEM as environments deliver it, made whole again: `\n`-escaped newlines (one-line
 * variables, `.env` files, secret stores) become real ones and a body squeezed onto one line is
 * wrapped at 64 columns. Returns `undefined` when there is no PEM block at all.
 *
 * @internal
 */
export function normalizePem(raw: string): string | undefined {
  const text = raw.trim().replace(/\\r\\n|\\n/g, '\n');
  const match = PEM.exec(text);
  if (match === null) return undefined;
  const label = match[1]!;
  const body = match[2]!.replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Why a PEM cannot serve as Clerk's `jwtKey`, or `undefined` when it can. The SDK turns the PEM
 * into a JWK by cutting a fixed RSA-2048 prefix off the key (`loadClerkJwkFromPem`), so any
 * other key type or size would fail every token at request time; we refuse it at start instead.
 *
 * @internal
 */
export function jwtKeyProblem(pem: string): string | undefined {
  // Node derives a public key from a private PEM too; a private key must never sit here.
  if (!pem.startsWith('-----BEGIN PUBLIC KEY-----'))
    return 'must be a PEM public key ("-----BEGIN PUBLIC KEY-----"), never a private key';
  let key;
  try {
    key = createPublicKey(pem);
  } catch {
    return 'is not a PEM public key (copy "PEM Public Key" from the Clerk dashboard)';
  }
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType !== 'rsa' || details?.modulusLength !== 2048 || details.publicExponent !== 65537n) {
    return 'must be an RSA-2048 public key (the PEM Public Key of the Clerk dashboard)';
  }
  return undefined;
}
