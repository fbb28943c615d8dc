import { createHash, createHmac, createSign, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { encodeJwt } from '../auth/jwt.js';
import {
  buildSessionClaims,
  sessionTokenHeader,
  type SessionClaimsInput,
  type SessionTimesInput,
} from '../auth/session-claims.js';

/** An RSA-2048 key pair for signing test session tokens, in every form a test needs. */
export interface TestKeyPair {
  /** Key id in token headers and in the JWK. */
  readonly kid: string;
  /** SPKI PEM: what `CLERK_JWT_KEY` holds. */
  readonly publicKeyPem: string;
  readonly privateKey: KeyObject;
  readonly privateKeyPem: string;
  /** The public key as a JWK (`kid`, `alg: RS256`, `use: sig`), as a JWKS serves it. */
  readonly jwk: JsonWebKey & { readonly kid: string; readonly alg: 'RS256'; readonly use: 'sig' };
}

/**
 * A fresh RSA-2048 key pair (the size Clerk's PEM loader expects).
 *
 * @param options.kid key id. @default `ins_test_` + a hash of the key
 * @example
 * const keys = createTestKeyPair();
 * const config = loadConfig({ env: { CLERK_JWT_KEY: keys.publicKeyPem }, envFile: false });
 */
export function createTestKeyPair(options: { readonly kid?: string } = {}): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const kid = options.kid ?? `ins_test_${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
  return Object.freeze({
    kid,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    jwk: Object.freeze({ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256' as const, use: 'sig' as const }),
  });
}

/** Signature algorithms {@link signSessionToken} can produce; all but RS256 are attacks to refuse. */
export type TestTokenAlgorithm = 'RS256' | 'RS384' | 'HS256' | 'none';

/** Options of {@link signSessionToken}. */
export interface SignSessionTokenOptions extends SessionTimesInput {
  /** Claims merged over the built ones (custom session claims, or a forged `sub`). @default {} */
  readonly extraClaims?: Readonly<Record<string, unknown>>;
  /** Claims removed after building (`['sid']` makes a token without a session). @default [] */
  readonly omitClaims?: readonly string[];
  /**
   * `RS256` signs properly; `RS384` signs with the right key and a refused algorithm; `HS256`
   * is the key-confusion attack (HMAC keyed with the public key PEM); `none` is unsigned.
   * @default 'RS256'
   */
  readonly algorithm?: TestTokenAlgorithm;
  /** Header fields merged over Clerk's (`{ kid: 'other' }`). @default {} */
  readonly header?: Readonly<Record<string, unknown>>;
}

function signer(keyPair: TestKeyPair, algorithm: TestTokenAlgorithm): (input: string) => string {
  switch (algorithm) {
    case 'RS256':
    case 'RS384':
      return (input) =>
        createSign(algorithm === 'RS256' ? 'RSA-SHA256' : 'RSA-SHA384')
          .update(input)
          .sign(keyPair.privateKey)
          .toString('base64url');
    case 'HS256':
      return (input) => createHmac('sha256', keyPair.publicKeyPem).update(input).digest('base64url');
    case 'none':
      return () => '';
  }
}

/**
 * Signs a Clerk-shaped session token (v2 by default, v1 with `version: 1`) with a test key:
 * `sub`, `sid`, `azp`, `iss`, `iat`, `nbf`, `exp`, and the organization as `o` (v2) or
 * `org_id`/`org_role` (v1). Verification stays Clerk's SDK; this only makes tokens to feed it.
 *
 * @example
 * const keys = createTestKeyPair();
 * const token = signSessionToken(keys, { userId: 'user_a', orgId: 'org_1', orgRole: 'admin' });
 * await request(app).get('/api/v1/entities').set('Authorization', `Bearer ${token}`).expect(200);
 * const expired = signSessionToken(keys, {}, { expiresIn: -60 });
 * const unsigned = signSessionToken(keys, {}, { algorithm: 'none' });
 */
export function signSessionToken(
  keyPair: TestKeyPair,
  claims: SessionClaimsInput = {},
  options: SignSessionTokenOptions = {},
): string {
  const algorithm = options.algorithm ?? 'RS256';
  const version = options.version ?? 2;
  const payload: Record<string, unknown> = { ...buildSessionClaims(claims, options), ...(options.extraClaims ?? {}) };
  for (const name of options.omitClaims ?? []) delete payload[name];
  const header = { ...sessionTokenHeader(keyPair.kid, version, algorithm), ...(options.header ?? {}) };
  return encodeJwt(header, payload, signer(keyPair, algorithm));
}

export type { SessionClaimsInput, SessionTimesInput };
