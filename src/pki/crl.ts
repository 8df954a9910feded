import * as asn1js from 'asn1js';
import { Extension, X509CrlGenerator, X509CrlReason, type X509CrlEntryParams } from './x509.ts';
import { BadRequestError } from '../shared/errors.ts';
import { crypto, signingAlgorithm } from './crypto.ts';
import { authorityKeyIdentifier } from './profiles.ts';
import { normalizeSerial } from './serial.ts';
import type { CrlInput, Pki, RevocationReason } from './types.ts';

const OID_CRL_NUMBER = '2.5.29.20';

const REASON_CODES: Record<RevocationReason, X509CrlReason> = {
  unspecified: X509CrlReason.unspecified,
  keyCompromise: X509CrlReason.keyCompromise,
  cACompromise: X509CrlReason.cACompromise,
  affiliationChanged: X509CrlReason.affiliationChanged,
  superseded: X509CrlReason.superseded,
  cessationOfOperation: X509CrlReason.cessationOfOperation,
  certificateHold: X509CrlReason.certificateHold,
  privilegeWithdrawn: X509CrlReason.privilegeWithdrawn,
};

export const REVOCATION_REASONS = Object.keys(REASON_CODES) as RevocationReason[];

const BY_FOLDED_NAME = new Map(REVOCATION_REASONS.map((r) => [squash(r), r]));

/** Case, dashes, underscores and blanks ignored. */
function squash(value: string): string {
  return value.replace(/[-_\s]/g, '').toLowerCase();
}

/** "keyCompromise", "key-compromise", "key_compromise", "KEY_COMPROMISE" → "keyCompromise"; anything else → null. */
export function knownRevocationReason(value: string): RevocationReason | null {
  return BY_FOLDED_NAME.get(squash(value)) ?? null;
}

/** The same, refusing anything else (400 invalid_reason). */
export function parseRevocationReason(value: string): RevocationReason {
  const reason = knownRevocationReason(value);
  if (!reason) throw new BadRequestError('invalid_reason', `unknown revocation reason "${value}"; expected one of ${REVOCATION_REASONS.join(', ')}`);
  return reason;
}

/**
 * A DER CRL v2 signed by the issuing CA, with the CRL number and authority key identifier extensions.
 * An "unspecified" reason is encoded as no reasonCode entry extension, as RFC 5280 §5.3.1 asks.
 */
export async function generateCrl(pki: Pki, input: CrlInput): Promise<Uint8Array<ArrayBuffer>> {
  if (!Number.isSafeInteger(input.number) || input.number < 0) throw new BadRequestError('invalid_crl_number', 'CRL number must be a non-negative integer');
  if (input.nextUpdate <= input.thisUpdate) throw new BadRequestError('invalid_crl_dates', 'nextUpdate must be after thisUpdate');
  const seen = new Set<string>();
  const entries: X509CrlEntryParams[] = input.entries.map((entry) => {
    const serial = normalizeSerial(entry.serial);
    if (serial === null) throw new BadRequestError('invalid_serial', `invalid certificate serial "${entry.serial}"`);
    if (seen.has(serial)) throw new BadRequestError('duplicate_serial', `serial ${serial} listed twice`);
    seen.add(serial);
    const code = REASON_CODES[entry.reason];
    // The generator only writes a reasonCode for a truthy reason, so 0 (unspecified) is left out.
    return { serialNumber: serial, revocationDate: entry.revokedAt, ...(code === X509CrlReason.unspecified ? {} : { reason: code }) };
  });
  const crl = await X509CrlGenerator.create(
    {
      issuer: pki.issuing.subjectName,
      thisUpdate: input.thisUpdate,
      nextUpdate: input.nextUpdate,
      signingAlgorithm: signingAlgorithm(pki.issuingKey),
      signingKey: pki.issuingKey,
      entries,
      extensions: [crlNumberExtension(input.number), await authorityKeyIdentifier(pki.issuing)],
    },
    crypto,
  );
  return new Uint8Array(crl.rawData);
}

function crlNumberExtension(value: number): Extension {
  return new Extension(OID_CRL_NUMBER, false, asn1js.Integer.fromBigInt(BigInt(value)).toBER());
}

