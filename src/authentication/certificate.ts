import { createHash } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import type { CertificateRecord, Establishment, Storage, User } from '../storage/index.ts';
import type { DenialReason } from './denials.ts';
import type { CpsCardInfo, CpsDenial } from '../cps/types.ts';
import { cpsTrustFor } from '../cps/registry.ts';
import { resolveCpsCard } from '../cps/resolve.ts';
import type { CpsTrust } from '../cps/trust.ts';

/** What the TLS layer tells us about the client certificate, without Node types. */
export interface PresentedCertificate {
  /** DER of the leaf, null when the client sent none. */
  der: Uint8Array | null;
  /** True when the chain verified against our trust anchors at the handshake. */
  authorized: boolean;
  /** OpenSSL's verdict when not authorized, e.g. CERT_HAS_EXPIRED. */
  authorizationError: string | null;
}

/**
 * A CPS card's certificate (IGC-Santé) as the gateway sees it: never stored in `certificates`,
 * kind 'cps' — so every `kind === 'personal'` check (renewal, admin API, SSO) leaves it out.
 */
export type CpsCardRecord = Omit<CertificateRecord, 'kind'> & { kind: 'cps' };

export interface CertificateContext {
  record: CertificateRecord | CpsCardRecord;
  /** The account of a personal certificate or of a CPS card. */
  owner: User | null;
  /** The establishment of a collective certificate. */
  establishment: Establishment | null;
  /** Set for a CPS card (then `owner` is its holder). */
  cps?: CpsCardInfo;
}

export type CertificateResolution =
  | { ok: true; context: CertificateContext }
  | { ok: false; reason: DenialReason; fingerprint: string | null; serial: string | null; notAfter?: number; cps?: CpsDenial };

export function sha256Hex(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

function handshakeDenial(error: string | null): DenialReason {
  if (error === 'CERT_HAS_EXPIRED') return 'certificate_expired';
  if (error === 'CERT_NOT_YET_VALID') return 'certificate_not_yet_valid';
  return 'untrusted_certificate';
}

/**
 * Certificate → record (by SHA-256 of the DER) → owner. Runs on every request: revocation
 * recorded by any process, replica or CLI, is seen on the next request. A certificate we
 * did not issue may be a CPS card: see src/cps/resolve.ts (trust registered by startListeners).
 */
export async function resolveCertificate(presented: PresentedCertificate, storage: Storage, clock: Clock, cps: CpsTrust | null = cpsTrustFor(storage)): Promise<CertificateResolution> {
  if (!presented.der || presented.der.length === 0) return { ok: false, reason: 'no_certificate', fingerprint: null, serial: null };
  const fingerprint = sha256Hex(presented.der);
  if (!presented.authorized) return { ok: false, reason: handshakeDenial(presented.authorizationError), fingerprint, serial: null };

  const record = await storage.certificates.findByFingerprint(fingerprint);
  if (!record) return (cps && (await resolveCpsCard(presented.der, fingerprint, storage, clock, cps))) || { ok: false, reason: 'certificate_unknown', fingerprint, serial: null };
  const base = { fingerprint, serial: record.serial, notAfter: record.notAfter };
  if (record.status === 'revoked') return { ok: false, reason: 'certificate_revoked', ...base };
  const now = clock.now().getTime();
  if (now >= record.notAfter) return { ok: false, reason: 'certificate_expired', ...base };
  if (now < record.notBefore) return { ok: false, reason: 'certificate_not_yet_valid', ...base };

  if (record.kind === 'personal') {
    const owner = record.userId ? await storage.users.findById(record.userId) : undefined;
    if (!owner) return { ok: false, reason: 'certificate_unknown', ...base };
    return { ok: true, context: { record, owner, establishment: null } };
  }
  const establishment = record.establishmentId ? await storage.establishments.findById(record.establishmentId) : undefined;
  if (!establishment) return { ok: false, reason: 'certificate_unknown', ...base };
  return { ok: true, context: { record, owner: null, establishment } };
}

/** Account states that refuse access whatever the password. */
export function accountDenial(user: User): DenialReason | null {
  switch (user.status) {
    case 'active':
      return null;
    case 'locked':
      return 'account_locked';
    case 'deactivated':
      return 'account_deactivated';
    case 'provisional':
      return 'account_provisional';
  }
}
