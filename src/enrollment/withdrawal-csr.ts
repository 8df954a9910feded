import { createHash } from 'node:crypto';
import { publicKeyFromCsr } from '../pki/index.ts';
import { BadRequestError, PasserelleError } from '../shared/errors.ts';

export interface ReadCsr {
  der: Uint8Array;
  /** SHA-256 of the DER, lower-case hex: what makes a retry "the same request". */
  sha256: string;
}

const PEM = /-----BEGIN (NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END (NEW )?CERTIFICATE REQUEST-----/;

/** PEM (or bare base64) of a PKCS#10 request → DER and its hash; null when it is not even that. */
export function readCsr(text: string): ReadCsr | null {
  const body = PEM.exec(text)?.[2] ?? (text.includes('-----') ? null : text);
  if (body === null) return null;
  const base64 = body.replace(/\s+/g, '');
  if (base64 === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return null;
  const der = new Uint8Array(Buffer.from(base64, 'base64'));
  if (der.length < 64 || der[0] !== 0x30) return null;
  return { der, sha256: createHash('sha256').update(der).digest('hex') };
}

/**
 * The public key to certify: signature checked (proof of possession) and strength checked.
 * Every way a CSR can be wrong is one stable code, `invalid_csr`, with the reason as message.
 */
export async function csrPublicKey(csr: ReadCsr | null): Promise<CryptoKey> {
  if (!csr) throw new BadRequestError('invalid_csr', 'the certificate request is not a PEM-encoded PKCS#10 CSR');
  try {
    return await publicKeyFromCsr(csr.der);
  } catch (error) {
    if (error instanceof PasserelleError && error.expose) throw new BadRequestError('invalid_csr', error.message, { cause: error.code });
    throw error;
  }
}
