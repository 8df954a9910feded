import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { BadRequestError } from '../shared/errors.ts';
import { crypto, toKeyObject } from './crypto.ts';
import { PkiError } from './errors.ts';
import type { KeyAlgorithm } from './types.ts';

const RSA_PARAMS = { name: 'RSASSA-PKCS1-v1_5', publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;

/** An extractable key pair (client keys are exported into PEM / PKCS#12 by the bootstrap CLI). */
export async function generateKeyPair(alg: KeyAlgorithm): Promise<CryptoKeyPair> {
  switch (alg) {
    case 'rsa-2048':
      return crypto.subtle.generateKey({ ...RSA_PARAMS, modulusLength: 2048 }, true, ['sign', 'verify']);
    case 'rsa-3072':
      return crypto.subtle.generateKey({ ...RSA_PARAMS, modulusLength: 3072 }, true, ['sign', 'verify']);
    case 'ec-p256':
      return generateEcKeyPair('P-256');
  }
}

export async function generateEcKeyPair(namedCurve: 'P-256' | 'P-384'): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve }, true, ['sign', 'verify']);
}

/** Unencrypted PKCS#8 PEM. */
export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  if (key.type !== 'private') throw new Error('exportPrivateKeyPem expects a private key');
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

/** PKCS#8 PEM, encrypted with AES-256-CBC (PBES2) when a passphrase is given. */
export function encodeCaKeyPem(key: CryptoKey, passphrase: string | null): string {
  const keyObject = toKeyObject(key);
  if (passphrase === null) return keyObject.export({ type: 'pkcs8', format: 'pem' }) as string;
  return keyObject.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
}

export function isEncryptedPem(pem: string): boolean {
  return pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----');
}

/**
 * Reads a CA key written by encodeCaKeyPem. Encrypted keys need the right passphrase; an unencrypted key
 * is refused when a passphrase is configured, so production never runs on CA keys stored in clear.
 */
export function decodeCaKeyPem(pem: string, passphrase: string | null, file: string): KeyObject {
  const encrypted = isEncryptedPem(pem);
  if (encrypted && passphrase === null) {
    throw new PkiError('pki_passphrase', `${file} is encrypted but no PKI passphrase is configured`, { file });
  }
  if (!encrypted && passphrase !== null) {
    throw new PkiError('pki_passphrase', `${file} is not encrypted although a PKI passphrase is configured; re-initialise the PKI or encrypt the key`, { file });
  }
  let keyObject: KeyObject;
  try {
    keyObject = encrypted ? createPrivateKey({ key: pem, format: 'pem', passphrase: passphrase ?? '' }) : createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    if (encrypted) throw new PkiError('pki_passphrase', `cannot decrypt ${file}: wrong PKI passphrase`, { file });
    throw new PkiError('pki_invalid', `cannot read ${file}: ${(err as Error).message}`, { file });
  }
  if (keyObject.asymmetricKeyType !== 'ec') throw new PkiError('pki_invalid', `${file} is not an EC key`, { file });
  return keyObject;
}

/** Reads the (unencrypted) server TLS key. */
export function decodeServerKeyPem(pem: string, file: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new PkiError('pki_invalid', `cannot read ${file}: ${(err as Error).message}`, { file });
  }
}

/** True when the private key is the counterpart of the SPKI (DER) of a certificate. */
export function keyMatchesSpki(privateKey: KeyObject, spki: ArrayBuffer): boolean {
  const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return derived.equals(Buffer.from(spki));
}

export type PublicKeyKind = 'rsa' | 'ec';

/** Rejects client keys too weak (or exotic) to certify: RSA ≥ 2048 bits, ECDSA P-256/P-384. */
export function checkClientPublicKey(publicKey: CryptoKey): PublicKeyKind {
  if (publicKey.type !== 'public') throw new BadRequestError('invalid_key', 'a public key is required');
  const keyObject = toKeyObject(publicKey);
  const details = keyObject.asymmetricKeyDetails ?? {};
  if (keyObject.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048) throw new BadRequestError('weak_key', 'RSA keys must be at least 2048 bits');
    return 'rsa';
  }
  if (keyObject.asymmetricKeyType === 'ec') {
    if (details.namedCurve !== 'prime256v1' && details.namedCurve !== 'secp384r1') {
      throw new BadRequestError('unsupported_key', 'EC keys must use the P-256 or P-384 curve');
    }
    return 'ec';
  }
  throw new BadRequestError('unsupported_key', `unsupported key type ${keyObject.asymmetricKeyType ?? 'unknown'}; use RSA or ECDSA`);
}
