import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_SESSION_ISSUER } from './issuer.js';
import { encodeJwt, rs256Signer } from './jwt.js';
import { buildSessionClaims, sessionTokenHeader } from './session-claims.js';

/** The key pair local mode signs and verifies with. */
export interface LocalSigningKey {
  /** Key id put in token headers, derived from the public key. */
  readonly kid: string;
  /** SPKI PEM, handed to Clerk's `verifyToken` as `jwtKey`. */
  readonly publicKeyPem: string;
  /** Signs local tokens; stays in the process (and in the file below). */
  readonly privateKey: KeyObject;
  /** The file holding the private key. */
  readonly path: string;
  /** Whether this call generated the pair (first run). */
  readonly created: boolean;
}

/**
 * The file name of the local private key inside its folder.
 *
 * @example
 * rmSync(join(keyDir, LOCAL_SIGNING_KEY_FILE)); // the next start generates a new pair
 */
export const LOCAL_SIGNING_KEY_FILE = 'local-signing-key.pem';

function describe(privateKey: KeyObject, path: string, created: boolean): LocalSigningKey {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return Object.freeze({
    kid: `local-${createHash('sha256').update(der).digest('base64url').slice(0, 16)}`,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey,
    path,
    created,
  });
}

/**
 * The local mode key pair: read from `dir`, or generated once (RSA 2048, the size Clerk's PEM
 * loader expects) and written there with mode 0600. `dir` must be git-ignored (`.data/`).
 * Safe when two processes race: the first write wins and both use it.
 *
 * @throws Error when the file exists but holds no RSA private key (delete it to regenerate).
 * @example
 * const key = ensureLocalSigningKey(join(serviceRoot, '.data', 'auth'));
 * const token = createLocalSessionToken(key, { userId: 'user_alice' });
 */
export function ensureLocalSigningKey(dir: string): LocalSigningKey {
  const path = join(dir, LOCAL_SIGNING_KEY_FILE);
  const existing = readPrivateKey(path);
  if (existing !== undefined) return describe(existing, path, false);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  try {
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process wrote it between our read and our write: use theirs.
    return describe(readPrivateKey(path)!, path, false);
  }
  return describe(privateKey, path, true);
}

function readPrivateKey(path: string): KeyObject | undefined {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new Error(`${path} does not hold a private key; delete it and a new key pair is generated`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'rsa' || key.asymmetricKeyDetails?.modulusLength !== 2048) {
    throw new Error(`${path} must hold an RSA-2048 private key; delete it and a new key pair is generated`);
  }
  return key;
}

/** Options of {@link createLocalSessionToken}. */
export interface LocalSessionTokenOptions {
  /** `sub`. @default 'user_local' */
  readonly userId?: string;
  /** Active organization id. @default none */
  readonly orgId?: string;
  /** Organization role (`admin` or `org:admin`); needs `orgId`. @default 'org:member' with an orgId */
  readonly role?: string;
  /** Lifetime in seconds. @default 3600 */
  readonly ttlSeconds?: number;
  /** `azp`; must be one of CLERK_AUTHORIZED_PARTIES when those are set. @default 'http://localhost:3000' */
  readonly authorizedParty?: string;
  /** Clerk session token version. @default 2 */
  readonly version?: 1 | 2;
}

/**
 * A Clerk-shaped session token signed with the local key, for calling a service in local mode
 * (what the sample service's `npm run token` prints). Its `iss` is local mode's own issuer
 * (`https://clerk.local`), which local mode checks like any other. Verification stays Clerk's
 * SDK, with the public key as `jwtKey`.
 *
 * @example
 * const token = createLocalSessionToken(ensureLocalSigningKey('.data/auth'), { userId: 'user_alice', ttlSeconds: 600 });
 */
export function createLocalSessionToken(key: LocalSigningKey, options: LocalSessionTokenOptions = {}): string {
  const version = options.version ?? 2;
  const claims = buildSessionClaims(
    {
      userId: options.userId ?? 'user_local',
      ...(options.orgId === undefined ? {} : { orgId: options.orgId }),
      ...(options.role === undefined ? {} : { orgRole: options.role }),
      ...(options.authorizedParty === undefined ? {} : { authorizedParty: options.authorizedParty }),
      issuer: LOCAL_SESSION_ISSUER,
    },
    { version, expiresIn: options.ttlSeconds ?? 3600 },
  );
  return encodeJwt(sessionTokenHeader(key.kid, version), claims, rs256Signer(key.privateKey));
}
