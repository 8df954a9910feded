import { Name, type JsonNameParams } from './x509.ts';
import { BadRequestError } from '../shared/errors.ts';

/** Attribute types @peculiar/x509 has no short name for ("SN" there means surname). */
const OID_SERIAL_NUMBER = '2.5.4.5';
const OID_UID = '0.9.2342.19200300.100.1.1';
const EXTRA_NAMES = { [OID_SERIAL_NUMBER]: 'serialNumber', [OID_UID]: 'UID' };

/** X.520 upper bounds (ub-common-name, ub-organization-name, …). */
const MAX_LENGTH = 64;

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

export interface NameParts {
  country: string;
  organization: string;
  organizationalUnit?: string;
  commonName: string;
  /** LDAP userid (DirectoryString): the person's Passerelle identifier. */
  uid?: string;
  /** X.520 serialNumber (PrintableString): the establishment id of collective certificates. */
  serialNumber?: string;
}

/**
 * Builds a distinguished name with explicit string types: UTF8String for free text (so accents survive
 * exactly), PrintableString where X.509 requires it (countryName, serialNumber). Order: C, O, OU, CN, then
 * the identifier attribute.
 */
export function buildName(parts: NameParts): Name {
  const country = parts.country.toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw new BadRequestError('invalid_subject', 'country must be a two-letter code');
  const rdns: JsonNameParams = [
    { C: [{ printableString: country }] },
    { O: [{ utf8String: text('organization', parts.organization) }] },
  ];
  if (parts.organizationalUnit !== undefined) rdns.push({ OU: [{ utf8String: text('organizational unit', parts.organizationalUnit) }] });
  rdns.push({ CN: [{ utf8String: text('common name', parts.commonName) }] });
  if (parts.uid !== undefined) rdns.push({ [OID_UID]: [{ utf8String: text('identifier', parts.uid) }] });
  if (parts.serialNumber !== undefined) {
    const serial = text('establishment id', parts.serialNumber);
    if (!PRINTABLE.test(serial)) throw new BadRequestError('invalid_subject', 'establishment id must use letters, digits, spaces and \' ( ) + , - . / : = ? only');
    rdns.push({ [OID_SERIAL_NUMBER]: [{ printableString: serial }] });
  }
  return new Name(rdns, EXTRA_NAMES);
}

function text(label: string, value: string): string {
  const trimmed = value.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (trimmed === '') throw new BadRequestError('invalid_subject', `${label} must not be empty`);
  if ([...trimmed].length > MAX_LENGTH) throw new BadRequestError('invalid_subject', `${label} must be at most ${MAX_LENGTH} characters`);
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new BadRequestError('invalid_subject', `${label} must not contain control characters`);
  return trimmed;
}

/** A name's RFC 4514-like string in encoding order, with serialNumber and UID spelled out. */
export function nameToString(name: Name | ArrayBuffer): string {
  return new Name(name instanceof Name ? name.toArrayBuffer() : name, EXTRA_NAMES).toString();
}

/** The first value of an attribute (by short name, or "UID"/"serialNumber"), or null. */
export function nameField(name: Name | ArrayBuffer, field: 'CN' | 'O' | 'OU' | 'C' | 'UID' | 'serialNumber'): string | null {
  const parsed = new Name(name instanceof Name ? name.toArrayBuffer() : name, EXTRA_NAMES);
  return parsed.getField(field)[0] ?? null;
}
