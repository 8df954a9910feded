import type { KeyAlgorithmName } from './dom.ts';

/** Parameters of the key pairs the page may make (config.withdrawal.keyAlgorithm). */
export const KEY_ALGORITHMS: Record<KeyAlgorithmName, RsaHashedKeyGenParams | EcKeyGenParams> = {
  // RSA-2048 imports everywhere (older Windows and macOS keychains included).
  'rsa-2048': { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
  'ec-p256': { name: 'ECDSA', namedCurve: 'P-256' },
};

/**
 * The key pair of the certificate, made here and nowhere else. Extractable because the private key has
 * to go into the .p12 the person installs; it is exported (PKCS#8) only to build that file, in memory.
 */
export function generateKeyPair(algorithm: KeyAlgorithmName): Promise<CryptoKeyPair> {
  const params = KEY_ALGORITHMS[algorithm];
  if (!params) throw new Error(`unsupported key algorithm ${String(algorithm)}`);
  return crypto.subtle.generateKey(params, true, ['sign', 'verify']);
}
