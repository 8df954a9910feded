import type { Clock } from '../shared/clock.ts';
import type { Storage } from '../storage/index.ts';
import type { User } from '../model/index.ts';
import type { DenialReason } from './denials.ts';
import type { PresentedCertificate } from '../model/presented-certificate.ts';
import { sha256Hex } from '../shared/hash.ts';
import type { CertificateResolution } from './certificate-context.ts';
import { cpsTrustFor } from '../cps/registry.ts';
import { resolveCpsCard } from './cps-card.ts';
import type { CpsTrust } from '../cps/trust.ts';

// The certificate vocabulary, importable from here as before.
export type { CertificateContext, CertificateResolution, CpsCardRecord } from './certificate-context.ts';
export type { PresentedCertificate };
export { sha256Hex };


function handshakeDenial(error: string | null): DenialReason {
  if (error === 'CERT_HAS_EXPIRED') return 'certificate_expired';
  if (error === 'CERT_NOT_YET_VALID') return 'certificate_not_yet_valid';
  return 'untrusted_certificate';
}

/**
 * Certificate → record (by SHA-256 of the DER) → owner. Runs on every request: revocation
 * recorded by any process, replica or CLI, is seen on the next request. A certificate we
 * did not issue may be a CPS card: see ./cps-card.ts (trust registered by startListeners).
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
