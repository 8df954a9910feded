import { X509Certificate } from 'node:crypto';

/** Whether a certificate (PEM) certifies this public key: SubjectPublicKeyInfo compared byte for byte. */
export async function samePublicKey(certificatePem: string, publicKey: CryptoKey | null): Promise<boolean> {
  if (!publicKey) return false;
  const issued = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  const offered = Buffer.from(await crypto.subtle.exportKey('spki', publicKey));
  return issued.length === offered.length && issued.equals(offered);
}
