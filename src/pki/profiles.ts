import { isIP } from 'node:net';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  type Extension,
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
  if (opts.crlUrl) extensions.push(new CRLDistributionPointsExtension([opts.crlUrl], false));
  return extensions;
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
