import { fingerprintSha256, nameToString, x509 } from '../pki/index.ts';
import { nationalIdFrom, type NationalId } from './national-id.ts';

const OID_SERIAL_NUMBER = '2.5.4.5';
const OID_COMMON_NAME = '2.5.4.3';
const OID_GIVEN_NAME = '2.5.4.42';
const OID_SURNAME = '2.5.4.4';

/** What a CPS card's certificate says about its holder (nothing here is trusted before the issuer check). */
export interface CardFacts {
  der: Uint8Array;
  certificate: x509.X509Certificate;
  fingerprint: string;
  /** Lower-case hex, the same form as our own serials. */
  serial: string;
  subject: string;
  issuer: string;
  notBefore: number;
  notAfter: number;
  /** Null when the subject carries none, or two that disagree. */
  nationalId: NationalId | null;
  givenName: string | null;
  familyName: string | null;
}

/**
 * Names: the GN/SN attributes when present, else the CN after the `/` split at the first
 * space ("Hélène Lefèvre" → Hélène / Lefèvre) — only ever used to prefill a form the person
 * checks, never to identify anyone.
 */
function names(subject: x509.Name): { givenName: string | null; familyName: string | null } {
  const given = subject.getField(OID_GIVEN_NAME)[0]?.trim();
  const family = subject.getField(OID_SURNAME)[0]?.trim();
  if (given && family) return { givenName: given, familyName: family };
  const display = subject.getField(OID_COMMON_NAME)[0]?.split('/').slice(1).join('/').trim() ?? '';
  const space = display.indexOf(' ');
  if (space <= 0) return { givenName: given ?? null, familyName: family ?? (display || null) };
  return { givenName: given ?? display.slice(0, space), familyName: family ?? display.slice(space + 1).trim() };
}

/** Parses a presented certificate; throws on DER that is not a certificate. */
export function readCard(der: Uint8Array): CardFacts {
  const certificate = new x509.X509Certificate(new Uint8Array(der));
  const subject = certificate.subjectName;
  return {
    der,
    certificate,
    fingerprint: fingerprintSha256(der),
    serial: certificate.serialNumber.toLowerCase(),
    subject: nameToString(certificate.subjectName),
    issuer: nameToString(certificate.issuerName),
    notBefore: certificate.notBefore.getTime(),
    notAfter: certificate.notAfter.getTime(),
    nationalId: nationalIdFrom(subject.getField(OID_SERIAL_NUMBER), subject.getField(OID_COMMON_NAME)),
    ...names(subject),
  };
}
