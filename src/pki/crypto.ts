import { createHash, KeyObject, webcrypto } from 'node:crypto';
import * as x509 from './x509.ts';

/** Node's WebCrypto, typed as the DOM `Crypto` that @peculiar/x509 expects (same runtime object). */
export const crypto = webcrypto as unknown as Crypto;

// @peculiar/x509 parses and verifies with its global provider; generators are also given `crypto` explicitly.
x509.cryptoProvider.set(crypto);

export type EcCurve = 'P-256' | 'P-384';

const HASH_FOR_CURVE: Record<EcCurve, string> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384' };

/** The signature algorithm a CA key signs with (our CA keys are always ECDSA). */
export function signingAlgorithm(key: CryptoKey): EcdsaParams {
  const alg = key.algorithm as EcKeyAlgorithm;
  if (alg.name !== 'ECDSA' || !(alg.namedCurve in HASH_FOR_CURVE)) {
    throw new Error(`unsupported CA key algorithm ${alg.name} ${alg.namedCurve ?? ''}`.trim());
  }
  return { name: 'ECDSA', hash: HASH_FOR_CURVE[alg.namedCurve as EcCurve] };
}

export function toKeyObject(key: CryptoKey): KeyObject {
  return KeyObject.from(key);
}

/** A private ECDSA KeyObject as a signing CryptoKey, non-extractable: a loaded CA key never leaves memory. */
export function ecSigningKey(keyObject: KeyObject): CryptoKey {
  const namedCurve = curveOf(keyObject);
  return keyObject.toCryptoKey({ name: 'ECDSA', namedCurve }, false, ['sign']) as unknown as CryptoKey;
}

export function curveOf(keyObject: KeyObject): EcCurve {
  if (keyObject.asymmetricKeyType !== 'ec') throw new Error(`expected an EC key, got ${keyObject.asymmetricKeyType ?? 'unknown'}`);
  switch (keyObject.asymmetricKeyDetails?.namedCurve) {
    case 'prime256v1':
    case 'P-256':
      return 'P-256';
    case 'secp384r1':
    case 'P-384':
      return 'P-384';
    default:
      throw new Error(`unsupported EC curve ${keyObject.asymmetricKeyDetails?.namedCurve ?? 'unknown'}`);
  }
}

/** SHA-256 of a certificate's DER, lower-case hex without colons. */
export function fingerprintSha256(der: Uint8Array | Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}
