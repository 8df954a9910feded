import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate } from './x509.ts';
import { crypto, ecSigningKey, toKeyObject } from './crypto.ts';
import { certificatePem, signCertificate, validityFrom } from './issue.ts';
import { decodeCaKeyPem, encodeCaKeyPem, generateEcKeyPair, keyMatchesSpki } from './keys.ts';
import { buildName } from './names.ts';
import { ocspResponderExtensions } from './profiles.ts';
import type { OcspResponderMaterial, PkiOptions } from './types.ts';

/**
 * The OCSP responder's certificate and key live together in one file (mode 0600), so publishing a new pair
 * is one atomic rename: a replica never reads a certificate without its key. The key is encrypted with the
 * PKI passphrase like the CA keys. Missing, unreadable, foreign or expiring material is simply replaced:
 * it is disposable (no-check certificates are kept short-lived instead of being revocable).
 */
export const OCSP_RESPONDER_FILE = 'ocsp-responder.pem';

const VALIDITY_DAYS = 90;
const RENEW_BEFORE_MS = 30 * 86_400_000;
const MAX_CN = 64;

interface IssuerMaterial {
  issuing: X509Certificate;
  issuingKey: CryptoKey;
}

/** The responder in options.dir, created (or renewed when it expires within 30 days) if need be. */
export async function loadOrCreateOcspResponder(options: PkiOptions, issuer: IssuerMaterial): Promise<OcspResponderMaterial> {
  const existing = await readResponder(options, issuer);
  if (existing && isFresh(existing, options)) return existing;
  return createOcspResponder(options, issuer);
}

/** A new responder key and certificate, written to options.dir. */
export async function createOcspResponder(options: PkiOptions, issuer: IssuerMaterial): Promise<OcspResponderMaterial> {
  const keys = await generateEcKeyPair('P-256');
  const cert = await signCertificate({
    subject: buildName({ country: options.country, organization: options.organization, commonName: commonName(options.organization) }),
    publicKey: keys.publicKey,
    issuer: issuer.issuing,
    issuerKey: issuer.issuingKey,
    validity: validityFrom(options.clock.now(), VALIDITY_DAYS, issuer.issuing),
    extensions: await ocspResponderExtensions(keys.publicKey, issuer.issuing),
  });
  const certPem = certificatePem(cert);
  await publish(options.dir, certPem + encodeCaKeyPem(keys.privateKey, options.passphrase));
  return { cert, certPem, key: ecSigningKey(toKeyObject(keys.privateKey)) };
}

/** True while the responder certificate has more than 30 days to live (the domain renews it past that). */
export function isFresh(responder: OcspResponderMaterial, options: PkiOptions): boolean {
  return responder.cert.notAfter.getTime() - options.clock.now().getTime() > RENEW_BEFORE_MS;
}

async function readResponder(options: PkiOptions, issuer: IssuerMaterial): Promise<OcspResponderMaterial | null> {
  const text = await readFile(join(options.dir, OCSP_RESPONDER_FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(text)?.[0];
  const keyPem = /-----BEGIN (?:ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:ENCRYPTED )?PRIVATE KEY-----\n?/.exec(text)?.[0];
  if (!certPem || !keyPem) return null;
  try {
    const cert = new X509Certificate(certPem);
    const keyObject = decodeCaKeyPem(keyPem, options.passphrase, OCSP_RESPONDER_FILE);
    if (!keyMatchesSpki(keyObject, cert.publicKey.rawData)) return null;
    // Signed by this issuing CA (a re-initialised PKI leaves a responder of the old one behind).
    if (!(await cert.verify({ publicKey: issuer.issuing.publicKey, signatureOnly: true }, crypto))) return null;
    return { cert, certPem: certificatePem(cert), key: ecSigningKey(keyObject) };
  } catch {
    return null;
  }
}

async function publish(dir: string, content: string): Promise<void> {
  const target = join(dir, OCSP_RESPONDER_FILE);
  const temp = join(dir, `.${OCSP_RESPONDER_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(temp, content, { mode: 0o600, flag: 'wx' });
  try {
    await chmod(temp, 0o600);
    await rename(temp, target);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

function commonName(organization: string): string {
  const suffix = 'OCSP Responder';
  const room = MAX_CN - suffix.length - 1;
  return `${[...organization.trim()].slice(0, room).join('').trim()} ${suffix}`;
}
