import { Pkcs10CertificateRequest } from './x509.ts';
import { BadRequestError } from '../shared/errors.ts';
import { crypto } from './crypto.ts';
import { checkClientPublicKey } from './keys.ts';

/**
 * The public key of a PKCS#10 request (PEM or DER), after checking its self-signature (proof the requester
 * holds the private key) and its strength. The CSR's subject and extensions are ignored: the profile decides.
 */
export async function publicKeyFromCsr(csr: string | Uint8Array): Promise<CryptoKey> {
  let request: Pkcs10CertificateRequest;
  try {
    request = new Pkcs10CertificateRequest(typeof csr === 'string' ? csr.trim() : new Uint8Array(csr));
  } catch {
    throw new BadRequestError('invalid_csr', 'the certificate request is not a valid PKCS#10 CSR');
  }
  let valid = false;
  try {
    valid = await request.verify(crypto);
  } catch {
    valid = false;
  }
  if (!valid) throw new BadRequestError('invalid_csr', 'the certificate request signature does not verify');
  let key: CryptoKey;
  try {
    key = await request.publicKey.export(crypto);
  } catch {
    throw new BadRequestError('unsupported_key', 'the certificate request uses an unsupported key type; use RSA or ECDSA');
  }
  checkClientPublicKey(key);
  return key;
}
