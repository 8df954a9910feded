import { AuthorityInfoAccessExtension, CRLDistributionPointsExtension, SubjectAlternativeNameExtension, X509Certificate, X509CertificateGenerator } from './x509.ts';
import type { Clock } from '../shared/clock.ts';
import { crypto, ecSigningKey, signingAlgorithm, toKeyObject } from './crypto.ts';
import { PkiError } from './errors.ts';
import { certificatePem as pem, issueServerCertificate, signCertificate, validityFrom } from './issue.ts';
import { decodeCaKeyPem, decodeServerKeyPem, encodeCaKeyPem, exportPrivateKeyPem, generateEcKeyPair, keyMatchesSpki } from './keys.ts';
import { buildName } from './names.ts';
import { createOcspResponder, loadOrCreateOcspResponder } from './ocsp-responder.ts';
import { ensurePkiDir, pkiExists, readPkiFiles, writePkiFiles, PKI_FILES } from './pki-files.ts';
import { issuingExtensions, rootExtensions, serverAltNames } from './profiles.ts';
import { randomSerial } from './serial.ts';
import type { OcspResponderMaterial, Pki, PkiOptions } from './types.ts';

const SERVER_RENEW_BEFORE_MS = 30 * 86_400_000;
const MAX_CN = 64;

function caCommonName(organization: string, suffix: string): string {
  const room = MAX_CN - suffix.length - 1;
  return `${[...organization.trim()].slice(0, room).join('').trim()} ${suffix}`;
}

/**
 * Creates the root CA (ECDSA P-384, pathLen 1), the issuing CA (ECDSA P-256, pathLen 0), the TLS
 * server certificate (ECDSA P-256) and the OCSP responder (ECDSA P-256) in options.dir, and writes them. Refuses with `pki_exists` when any
 * material is already there, unless `force` (which replaces everything: every issued certificate
 * becomes untrusted).
 */
export async function initPki(options: PkiOptions, opts: { force?: boolean } = {}): Promise<Pki> {
  const force = opts.force ?? false;
  if (!force && (await pkiExists(options.dir))) {
    throw new PkiError('pki_exists', `PKI material already exists in ${options.dir}; use --force to replace it`, { dir: options.dir });
  }
  await ensurePkiDir(options.dir);
  const now = options.clock.now();

  const rootKeys = await generateEcKeyPair('P-384');
  const rootValidity = validityFrom(now, options.validityDays.root);
  const root = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: buildName({ country: options.country, organization: options.organization, commonName: caCommonName(options.organization, 'Root CA') }),
      notBefore: rootValidity.notBefore,
      notAfter: rootValidity.notAfter,
      signingAlgorithm: signingAlgorithm(rootKeys.privateKey),
      keys: rootKeys,
      extensions: await rootExtensions(rootKeys.publicKey),
    },
    crypto,
  );

  const issuingKeys = await generateEcKeyPair('P-256');
  const issuing = await signCertificate({
    subject: buildName({ country: options.country, organization: options.organization, commonName: caCommonName(options.organization, 'Issuing CA') }),
    publicKey: issuingKeys.publicKey,
    issuer: root,
    issuerKey: rootKeys.privateKey,
    validity: validityFrom(now, options.validityDays.issuing, root),
    extensions: await issuingExtensions(issuingKeys.publicKey, root),
  });

  const serverKeys = await generateEcKeyPair('P-256');
  const server = await issueServerCertificate(options, issuing, issuingKeys.privateKey, serverKeys.publicKey, options.serverHosts);
  const serverKeyPem = await exportPrivateKeyPem(serverKeys.privateKey);

  // Keep a non-extractable copy in memory, like loadPki does.
  const issuingKey = ecSigningKey(toKeyObject(issuingKeys.privateKey));
  const rootPem = pem(root);
  const issuingPem = pem(issuing);
  await writePkiFiles(
    options.dir,
    {
      rootKey: encodeCaKeyPem(rootKeys.privateKey, options.passphrase),
      rootCert: rootPem,
      issuingKey: encodeCaKeyPem(issuingKeys.privateKey, options.passphrase),
      issuingCert: issuingPem,
      chain: issuingPem + rootPem,
      serverKey: serverKeyPem,
      serverCert: pem(server),
    },
    !force,
  );
  // After the CA files: a concurrent initialiser has lost by now, so only the winner writes a responder.
  const responder = await createOcspResponder(options, { issuing, issuingKey });
  return assemble(options, root, issuing, issuingKey, pem(server), serverKeyPem, responder);
}

/**
 * Reads the PKI from options.dir: `pki_missing` when files are absent, `pki_passphrase` when the issuing
 * key cannot be decrypted, `pki_invalid` when files are unreadable or do not belong together. The root key
 * stays on disk: it is not needed to run. The OCSP responder is created when missing (a directory made
 * before OCSP existed) or renewed when it expires within 30 days.
 */
export async function loadPki(options: PkiOptions): Promise<Pki> {
  const files = await readPkiFiles(options.dir);
  const root = parseCert(files.rootCert, PKI_FILES.rootCert);
  const issuing = parseCert(files.issuingCert, PKI_FILES.issuingCert);
  const server = parseCert(files.serverCert, PKI_FILES.serverCert);
  const issuingKeyObject = decodeCaKeyPem(files.issuingKey, options.passphrase, PKI_FILES.issuingKey);
  const serverKey = decodeServerKeyPem(files.serverKey, PKI_FILES.serverKey);

  const invalid = (message: string) => new PkiError('pki_invalid', `${message} in ${options.dir}`, { dir: options.dir });
  if (!keyMatchesSpki(issuingKeyObject, issuing.publicKey.rawData)) throw invalid(`${PKI_FILES.issuingKey} does not match ${PKI_FILES.issuingCert}`);
  if (!keyMatchesSpki(serverKey, server.publicKey.rawData)) throw invalid(`${PKI_FILES.serverKey} does not match ${PKI_FILES.serverCert}`);
  if (!(await issuing.verify({ publicKey: root.publicKey, signatureOnly: true }, crypto))) throw invalid(`${PKI_FILES.issuingCert} is not signed by ${PKI_FILES.rootCert}`);
  if (!(await server.verify({ publicKey: issuing.publicKey, signatureOnly: true }, crypto))) throw invalid(`${PKI_FILES.serverCert} is not signed by ${PKI_FILES.issuingCert}`);

  let issuingKey: CryptoKey;
  try {
    issuingKey = ecSigningKey(issuingKeyObject);
  } catch (err) {
    throw invalid(`${PKI_FILES.issuingKey}: ${(err as Error).message}`);
  }
  const responder = await loadOrCreateOcspResponder(options, { issuing, issuingKey });
  return assemble(options, root, issuing, issuingKey, pem(server), files.serverKey, responder);
}

/**
 * Re-issues the TLS server certificate when it does not cover every host (options.serverHosts plus
 * `hosts`, e.g. application hosts added to the configuration), does not point at the configured CRL and
 * OCSP addresses (a certificate made before they existed, or a new public URL) or expires within 30 days. The existing
 * server key is kept, so replicas reading the directory never see a certificate without its key; only
 * server.pem is replaced (atomically). Returns the same Pki when nothing had to change.
 */
export async function ensureServerCertificate(pki: Pki, hosts: string[]): Promise<Pki> {
  const current = new X509Certificate(pki.server.certPem);
  const wanted = serverAltNames([...pki.options.serverHosts, ...hosts]);
  const present = currentAltNames(current);
  const covered = wanted.every((name) => present.some((p) => covers(p, name)));
  const expiring = current.notAfter.getTime() - pki.options.clock.now().getTime() < SERVER_RENEW_BEFORE_MS;
  if (covered && !expiring && pointsAtRevocation(current, pki.options)) return pki;

  const allHosts = [...wanted, ...present].map((n) => n.value);
  const publicKey = await current.publicKey.export(crypto);
  const renewed = await issueServerCertificate(pki.options, pki.issuing, pki.issuingKey, publicKey, allHosts);
  const certPem = pem(renewed);
  await writePkiFiles(pki.dir, { serverCert: certPem }, false);
  return { ...pki, server: { ...pki.server, certPem, chainPem: certPem + pki.issuingPem } };
}

/** The same PKI issuing with another clock: tests use a clock in the past to make expired certificates. */
export function withClock(pki: Pki, clock: Clock): Pki {
  return { ...pki, options: { ...pki.options, clock } };
}

export { pkiExists };

function assemble(
  options: PkiOptions,
  root: X509Certificate,
  issuing: X509Certificate,
  issuingKey: CryptoKey,
  serverCertPem: string,
  serverKeyPem: string,
  ocspResponder: OcspResponderMaterial,
): Pki {
  const rootPem = pem(root);
  const issuingPem = pem(issuing);
  return {
    dir: options.dir,
    root,
    issuing,
    issuingKey,
    rootPem,
    issuingPem,
    chainPem: issuingPem + rootPem,
    trustPem: issuingPem + rootPem,
    server: { certPem: serverCertPem, keyPem: serverKeyPem, chainPem: serverCertPem + issuingPem },
    ocspResponder,
    options,
  };
}

function parseCert(text: string, file: string): X509Certificate {
  try {
    return new X509Certificate(text);
  } catch (err) {
    throw new PkiError('pki_invalid', `cannot parse ${file}: ${(err as Error).message}`, { file });
  }
}

type AltName = { type: string; value: string };

/** The certificate names exactly the configured CRL and OCSP URLs (none when none is configured). */
function pointsAtRevocation(cert: X509Certificate, options: PkiOptions): boolean {
  const crl = cert.getExtension(CRLDistributionPointsExtension)?.distributionPoints.flatMap((dp) => dp.distributionPoint?.fullName?.map((n) => n.uniformResourceIdentifier) ?? []) ?? [];
  const ocsp = cert.getExtension(AuthorityInfoAccessExtension)?.ocsp.map((n) => n.value) ?? [];
  return same(crl, options.crlUrl) && same(ocsp, options.ocspUrl);
}

function same(present: Array<string | undefined>, wanted: string | undefined): boolean {
  return wanted ? present.length === 1 && present[0] === wanted : present.length === 0;
}

function currentAltNames(cert: X509Certificate): AltName[] {
  const san = cert.getExtension(SubjectAlternativeNameExtension);
  if (!san) return [];
  return san.names.items.filter((n) => n.type === 'dns' || n.type === 'ip').map((n) => ({ type: n.type, value: n.value.toLowerCase() }));
}

/** RFC 6125 matching: exact, or a wildcard standing for exactly one left-most label. */
function covers(present: AltName, wanted: AltName): boolean {
  if (present.type !== wanted.type) return false;
  if (present.value === wanted.value) return true;
  if (present.type !== 'dns' || !present.value.startsWith('*.')) return false;
  const dot = wanted.value.indexOf('.');
  return dot > 0 && wanted.value.slice(dot + 1) === present.value.slice(2);
}
