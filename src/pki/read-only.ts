import { crypto } from './crypto.ts';
import { certificatePem as pem } from './issue.ts';
import { PkiError } from './errors.ts';
import { PKI_FILES, readPkiFiles } from './pki-files.ts';
import { X509Certificate } from './x509.ts';
import type { Pki, PkiOptions } from './types.ts';

/**
 * The PKI's public half, for commands that only read (listing registrations, people, certificates, the
 * audit trail…): certificates are loaded and checked, the CA key is never decrypted, so no passphrase is
 * needed. Touching `issuingKey` or the OCSP responder throws `pki_key_not_loaded` before anything is
 * signed; commands that sign or revoke open the full PKI (loadPki) instead.
 */
export async function loadPkiReadOnly(options: PkiOptions): Promise<Pki> {
  const files = await readPkiFiles(options.dir);
  const root = parse(files.rootCert, PKI_FILES.rootCert);
  const issuing = parse(files.issuingCert, PKI_FILES.issuingCert);
  const server = parse(files.serverCert, PKI_FILES.serverCert);
  if (!(await issuing.verify({ publicKey: root.publicKey, signatureOnly: true }, crypto))) {
    throw new PkiError('pki_invalid', `${PKI_FILES.issuingCert} is not signed by ${PKI_FILES.rootCert} in ${options.dir}`, { dir: options.dir });
  }
  const rootPem = pem(root);
  const issuingPem = pem(issuing);
  const serverPem = pem(server);
  const pki = {
    dir: options.dir,
    root,
    issuing,
    rootPem,
    issuingPem,
    chainPem: issuingPem + rootPem,
    trustPem: issuingPem + rootPem,
    server: { certPem: serverPem, keyPem: files.serverKey, chainPem: serverPem + issuingPem },
    options,
  } as Omit<Pki, 'issuingKey' | 'ocspResponder'> as Pki;
  const notLoaded = (): never => {
    throw new PkiError('pki_key_not_loaded', 'the CA key was not opened: this command only reads (commands that sign or revoke open it with the PKI passphrase)');
  };
  Object.defineProperty(pki, 'issuingKey', { get: notLoaded, enumerable: false });
  Object.defineProperty(pki, 'ocspResponder', { get: notLoaded, enumerable: false });
  return pki;
}

function parse(text: string, file: string): X509Certificate {
  try {
    return new X509Certificate(text);
  } catch (err) {
    throw new PkiError('pki_invalid', `cannot parse ${file}: ${(err as Error).message}`, { file });
  }
}
