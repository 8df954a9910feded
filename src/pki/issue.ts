import { X509Certificate, X509CertificateGenerator, type Extension, type Name } from './x509.ts';
import { BadRequestError } from '../shared/errors.ts';
import { crypto, fingerprintSha256, signingAlgorithm } from './crypto.ts';
import { checkClientPublicKey } from './keys.ts';
import { buildName, nameToString } from './names.ts';
import { leafExtensions, serverAltNames } from './profiles.ts';
import { randomSerial } from './serial.ts';
import type { ClientProfile, IssuedCertificate, Pki, PkiOptions } from './types.ts';

const DAY_MS = 86_400_000;
/** notBefore is backdated so a workstation whose clock runs a little late still offers a fresh certificate. */
const BACKDATE_MS = 3_600_000;

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

/** From the clock's now, for `days`, never outliving the issuer. */
export function validityFrom(now: Date, days: number, issuer?: X509Certificate): Validity {
  if (!Number.isFinite(days) || days <= 0) throw new BadRequestError('invalid_validity', 'validity must be a positive number of days');
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  let notAfter = new Date(now.getTime() + days * DAY_MS);
  if (issuer && notAfter > issuer.notAfter) notAfter = issuer.notAfter;
  if (notAfter <= notBefore) throw new BadRequestError('invalid_validity', 'the issuing CA expires before this certificate would start');
  // X.509 times have second precision: drop milliseconds so notBefore/notAfter round-trip exactly.
  return { notBefore: floorSeconds(notBefore), notAfter: floorSeconds(notAfter) };
}

function floorSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

export interface SignParams {
  subject: Name;
  publicKey: CryptoKey;
  issuer: X509Certificate;
  issuerKey: CryptoKey;
  validity: Validity;
  extensions: Extension[];
}

export async function signCertificate(params: SignParams): Promise<X509Certificate> {
  return X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: params.subject,
      issuer: params.issuer.subjectName,
      notBefore: params.validity.notBefore,
      notAfter: params.validity.notAfter,
      publicKey: params.publicKey,
      signingKey: params.issuerKey,
      signingAlgorithm: signingAlgorithm(params.issuerKey),
      extensions: params.extensions,
    },
    crypto,
  );
}

/** PEM with exactly one trailing newline, so PEMs concatenate into valid bundles. */
export function certificatePem(cert: X509Certificate): string {
  return `${cert.toString('pem').trim()}\n`;
}

export function describeCertificate(cert: X509Certificate): IssuedCertificate {
  const der = new Uint8Array(cert.rawData);
  return {
    pem: certificatePem(cert),
    der,
    serial: cert.serialNumber.toLowerCase(),
    fingerprintSha256: fingerprintSha256(der),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    subject: nameToString(cert.subjectName),
  };
}

/** TLS server certificate for `hosts` (CN = first host), signed by the issuing CA. */
export async function issueServerCertificate(
  options: PkiOptions,
  issuer: X509Certificate,
  issuerKey: CryptoKey,
  publicKey: CryptoKey,
  hosts: string[],
): Promise<X509Certificate> {
  const altNames = serverAltNames(hosts);
  const commonName = altNames[0]!.value;
  return signCertificate({
    subject: buildName({ country: options.country, organization: options.organization, commonName }),
    publicKey,
    issuer,
    issuerKey,
    validity: validityFrom(options.clock.now(), options.validityDays.server, issuer),
    extensions: await leafExtensions({ publicKey, issuer, usage: 'serverAuth', subjectAltNames: altNames, crlUrl: options.crlUrl, ocspUrl: options.ocspUrl }),
  });
}

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/**
 * A client-authentication certificate for a person (personal) or an establishment's shared machine
 * (collective). Times come from pki.options.clock, so a Pki with a clock in the past issues expired
 * certificates (see withClock).
 */
export async function issueClientCertificate(
  pki: Pki,
  profile: ClientProfile,
  publicKey: CryptoKey,
  opts: { validityDays?: number } = {},
): Promise<IssuedCertificate> {
  checkClientPublicKey(publicKey);
  const { options } = pki;
  let subject: Name;
  let altNames: Array<{ type: 'email'; value: string }> = [];
  let days: number;
  if (profile.kind === 'personal') {
    const email = profile.email.trim();
    // rfc822Name is an IA5String: internationalised addresses cannot be carried.
    if (!EMAIL.test(email)) throw new BadRequestError('invalid_email', 'a valid ASCII email address is required');
    const givenName = profile.givenName.trim();
    const familyName = profile.familyName.trim();
    if (givenName === '' || familyName === '') throw new BadRequestError('invalid_subject', 'given name and family name are required');
    subject = buildName({
      country: options.country,
      organization: profile.organization?.trim() || options.organization,
      commonName: `${givenName} ${familyName.toLocaleUpperCase('fr-FR')}`,
      uid: profile.identifier,
    });
    altNames = [{ type: 'email', value: email }];
    days = opts.validityDays ?? options.validityDays.personal;
  } else {
    // Identifies a machine and an establishment, never a person: no personal name, no email.
    subject = buildName({
      country: options.country,
      organization: profile.establishmentName,
      organizationalUnit: 'Certificat collectif',
      commonName: profile.machineLabel,
      serialNumber: profile.establishmentId,
    });
    days = opts.validityDays ?? options.validityDays.collective;
  }
  const cert = await signCertificate({
    subject,
    publicKey,
    issuer: pki.issuing,
    issuerKey: pki.issuingKey,
    validity: validityFrom(options.clock.now(), days, pki.issuing),
    extensions: await leafExtensions({ publicKey, issuer: pki.issuing, usage: 'clientAuth', subjectAltNames: altNames, crlUrl: options.crlUrl, ocspUrl: options.ocspUrl }),
  });
  return describeCertificate(cert);
}
