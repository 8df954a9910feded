import type { CertificateResolution } from './certificate-context.ts';
import type { Clock } from '../shared/clock.ts';
import type { Storage } from '../storage/index.ts';
import { CPS_CARD_LABEL } from '../cps/types.ts';
import { findCardHolder } from '../cps/holders.ts';
import type { CpsTrust } from '../cps/trust.ts';

/**
 * A certificate absent from our table that the handshake accepted: if a CPS CA issued it,
 * map it to its holder's account by the national identifier. Null: not a CPS card.
 * Same order of checks as our own certificates: revoked, expired, not yet valid, owner.
 */
export async function resolveCpsCard(der: Uint8Array, fingerprint: string, storage: Storage, clock: Clock, trust: CpsTrust): Promise<CertificateResolution | null> {
  const card = await trust.recognise(der, fingerprint);
  if (!card) return null;
  const nationalId = card.nationalId?.value ?? null;
  const base = { fingerprint, serial: card.serial, notAfter: card.notAfter };
  const now = clock.now().getTime();

  const revocation = trust.revocation(card, now);
  if (revocation === 'revoked') return { ok: false, reason: 'certificate_revoked', ...base, cps: { nationalId, problem: null } };
  // An out-of-date CRL: the card may have been revoked since; refuse rather than guess.
  if (revocation === 'stale') return { ok: false, reason: 'untrusted_certificate', ...base, cps: { nationalId, problem: 'crl_stale' } };
  if (now >= card.notAfter) return { ok: false, reason: 'certificate_expired', ...base, cps: { nationalId, problem: null } };
  if (now < card.notBefore) return { ok: false, reason: 'certificate_not_yet_valid', ...base, cps: { nationalId, problem: null } };
  if (!card.nationalId) return { ok: false, reason: 'certificate_unknown', ...base, cps: { nationalId: null, problem: 'no_national_id' } };

  const holder = await findCardHolder(storage, card.nationalId);
  if (!holder.ok) return { ok: false, reason: 'certificate_unknown', ...base, cps: { nationalId, problem: holder.problem } };
  return {
    ok: true,
    context: {
      record: {
        serial: card.serial,
        fingerprintSha256: fingerprint,
        kind: 'cps',
        userId: holder.user.id,
        establishmentId: null,
        label: CPS_CARD_LABEL,
        subject: card.subject,
        notBefore: card.notBefore,
        notAfter: card.notAfter,
        status: 'valid',
        revokedAt: null,
        revocationReason: null,
        pem: card.certificate.toString('pem'),
        createdAt: now,
      },
      owner: holder.user,
      establishment: null,
      cps: { nationalId: card.nationalId.value, kind: card.nationalId.kind, issuer: card.issuer },
    },
  };
}
