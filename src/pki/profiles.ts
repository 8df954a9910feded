import { isIP } from 'node:net';
import {
  AuthorityInfoAccessExtension,
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  Extension,
  type JsonGeneralName,
  type X509Certificate,
} from './x509.ts';
import { crypto } from './crypto.ts';

/** Extension sets per certificate profile. Key identifiers are computed from the keys (RFC 5280 method 1). */

const CA_KEY_USAGE = KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign;

export async function rootExtensions(publicKey: CryptoKey): Promise<Extension[]> {
  return [
    new BasicConstraintsExtension(true, 1, true),
    new KeyUsagesExtension(CA_KEY_USAGE, true),
    await SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
  ];
}

export async function issuingExtensions(publicKey: CryptoKey, root: X509Certificate): Promise<Extension[]> {
  return [
    new BasicConstraintsExtension(true, 0, true),
    new KeyUsagesExtension(CA_KEY_USAGE, true),
    await SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
    await authorityKeyIdentifier(root),
  ];
}

export interface LeafOptions {
  publicKey: CryptoKey;
  issuer: X509Certificate;
  usage: 'serverAuth' | 'clientAuth';
  subjectAltNames: JsonGeneralName[];
  crlUrl?: string | undefined;
  ocspUrl?: string | undefined;
}

export async function leafExtensions(opts: LeafOptions): Promise<Extension[]> {
  // keyEncipherment only makes sense for RSA keys (RSA key transport); EC keys sign only.
  const rsa = opts.publicKey.algorithm.name.startsWith('RSA');
  const keyUsage = KeyUsageFlags.digitalSignature | (rsa ? KeyUsageFlags.keyEncipherment : 0);
  const eku = opts.usage === 'serverAuth' ? ExtendedKeyUsage.serverAuth : ExtendedKeyUsage.clientAuth;
  const extensions: Extension[] = [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(keyUsage, true),
    new ExtendedKeyUsageExtension([eku], false),
  ];
  if (opts.subjectAltNames.length > 0) extensions.push(new SubjectAlternativeNameExtension(opts.subjectAltNames, false));
  extensions.push(await SubjectKeyIdentifierExtension.create(opts.publicKey, false, crypto), await authorityKeyIdentifier(opts.issuer));
  extensions.push(...revocationPointers(opts));
  return extensions;
}

/** Where relying parties check revocation: the CRL distribution point and the OCSP responder (AIA). */
export function revocationPointers(opts: { crlUrl?: string | undefined; ocspUrl?: string | undefined }): Extension[] {
  const extensions: Extension[] = [];
  if (opts.crlUrl) extensions.push(new CRLDistributionPointsExtension([opts.crlUrl], false));
  if (opts.ocspUrl) extensions.push(new AuthorityInfoAccessExtension({ ocsp: [opts.ocspUrl] }, false));
  return extensions;
}

/** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): its value is an ASN.1 NULL. */
const OID_OCSP_NOCHECK = '1.3.6.1.5.5.7.48.1.5';
const DER_NULL = new Uint8Array([0x05, 0x00]);

/**
 * The delegated OCSP responder: digitalSignature, id-kp-OCSPSigning only, and no-check — clients do not ask
 * about the responder's own status (it is short-lived instead), so no CRL or OCSP pointer either.
 */
export async function ocspResponderExtensions(publicKey: CryptoKey, issuer: X509Certificate): Promise<Extension[]> {
  return [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
    new ExtendedKeyUsageExtension([ExtendedKeyUsage.ocspSigning], false),
    new Extension(OID_OCSP_NOCHECK, false, DER_NULL),
    await SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
    await authorityKeyIdentifier(issuer),
  ];
}

/** SAN entries for the TLS server: every host (DNS name or IP literal) plus 127.0.0.1, deduplicated. */
export function serverAltNames(hosts: string[]): JsonGeneralName[] {
  const seen = new Set<string>();
  const names: JsonGeneralName[] = [];
  for (const raw of [...hosts, '127.0.0.1']) {
    const host = raw.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (host === '' || seen.has(host)) continue;
    seen.add(host);
    names.push({ type: isIP(host) ? 'ip' : 'dns', value: host });
  }
  return names;
}

/** The issuer's own SKI, so AKI always matches it byte for byte. */
export async function authorityKeyIdentifier(issuer: X509Certificate): Promise<AuthorityKeyIdentifierExtension> {
  const ski = issuer.getExtension(SubjectKeyIdentifierExtension);
  if (ski) return new AuthorityKeyIdentifierExtension(ski.keyId, false);
  return AuthorityKeyIdentifierExtension.create(issuer.publicKey, false, crypto);
}
