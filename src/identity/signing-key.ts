import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import type { JWK } from 'jose';

export const SIGNING_KEY_FILE = 'assertion-es256.key.pem';

/** The ES256 key that signs downstream assertions. */
export interface SigningKey {
  privateKey: CryptoKey | KeyObject;
  /** Public part only: kty, crv, x, y. */
  publicJwk: JWK;
  /** RFC 7638 thumbprint of `publicJwk`. */
  kid: string;
  /** A key ring (signing-keys.ts): every key the JWKS lists, this one and retired ones still in use. */
  publishedKeys?(): SigningKey[];
}

export function signingKeyPath(dir: string): string {
  return join(dir, SIGNING_KEY_FILE);
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

async function readPemIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/**
 * Writes a fresh key atomically: a private temp file is hard-linked into place, which fails
 * with EEXIST when another replica won the race; readers never see a half-written file.
 * True when this call created the file.
 */
export async function createPemOnce(path: string): Promise<boolean> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, pem, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
    return false;
  } finally {
    await unlink(temp);
  }
}

export async function signingKeyFromPem(pem: string, path: string): Promise<SigningKey> {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`${path} is not a P-256 EC private key`);
  }
  const { kty, crv, x, y } = createPublicKey(privateKey).export({ format: 'jwk' });
  const publicJwk: JWK = { kty, crv, x, y };
  return { privateKey, publicJwk, kid: await calculateJwkThumbprint(publicJwk, 'sha256') };
}

/** Loads `<dir>/assertion-es256.key.pem`, creating it (mode 0600) on first use. Replicas sharing `dir` share the key. */
export async function loadOrCreateSigningKey(dir: string): Promise<SigningKey> {
  const path = signingKeyPath(dir);
  let pem = await readPemIfExists(path);
  if (pem === undefined) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await createPemOnce(path);
    pem = await readFile(path, 'utf8');
  }
  return signingKeyFromPem(pem, path);
}

/** The public JWK Set served at `/.well-known/jwks.json`; a key ring contributes every key it still publishes. */
export function jwks(keys: SigningKey[]): { keys: JWK[] } {
  const published = keys.flatMap((key) => key.publishedKeys?.() ?? [key]);
  return { keys: published.map((key) => ({ ...key.publicJwk, use: 'sig', alg: 'ES256', kid: key.kid })) };
}
