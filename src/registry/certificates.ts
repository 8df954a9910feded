import { z } from 'zod';
import { REVOCATION_REASONS, type RevocationReason } from '../pki/index.ts';
import { BadRequestError, NotFoundError, PasserelleError } from '../shared/errors.ts';
import { decodeCursor, pageOf, type Page } from './cursor.ts';
import type { CoordinatorActor, RegistryDeps } from './deps.ts';
import { iso } from '../shared/time.ts';
import { limitParam, readQuery, text } from './query.ts';
import type { CertificateRow, CertificateState } from '../model/registry.ts';

export interface CertificateView {
  serial: string;
  fingerprintSha256: string;
  kind: CertificateRow['kind'];
  label: string;
  subject: string;
  /** `expired`: still on record as valid, but past its end date. */
  state: CertificateState;
  notBefore: string;
  notAfter: string;
  revokedAt: string | null;
  revocationReason: string | null;
  replacesSerial: string | null;
  createdAt: string;
  holder: { id: string; identifier: string; givenName: string; familyName: string } | null;
  establishment: { id: string; name: string } | null;
}

/**
 * The RFC 5280 reasons the cell may choose. Left out: `cACompromise` (not about one client
 * certificate) and `certificateHold` (a hold is temporary; a revocation here is final).
 */
const NOT_OFFERED = ['cACompromise', 'certificateHold'] as const;
export type OfferedReason = Exclude<RevocationReason, (typeof NOT_OFFERED)[number]>;
export const OFFERED_REVOCATION_REASONS: readonly OfferedReason[] = REVOCATION_REASONS.filter((r): r is OfferedReason => !(NOT_OFFERED as readonly string[]).includes(r));

export function certificateView(row: CertificateRow, now: number): CertificateView {
  return {
    serial: row.serial,
    fingerprintSha256: row.fingerprintSha256,
    kind: row.kind,
    label: row.label,
    subject: row.subject,
    state: row.status === 'revoked' ? 'revoked' : row.notAfter < now ? 'expired' : 'valid',
    notBefore: iso(row.notBefore)!,
    notAfter: iso(row.notAfter)!,
    revokedAt: iso(row.revokedAt),
    revocationReason: row.revocationReason,
    replacesSerial: row.replacesSerial,
    createdAt: iso(row.createdAt)!,
    holder: row.userId && row.identifier ? { id: row.userId, identifier: row.identifier, givenName: row.givenName ?? '', familyName: row.familyName ?? '' } : null,
    establishment: row.establishmentId && row.establishmentName !== null ? { id: row.establishmentId, name: row.establishmentName } : null,
  };
}

export const certificateQuerySchema = z.object({
  kind: z.enum(['personal', 'collective']).optional(),
  status: z.enum(['valid', 'expired', 'revoked']).optional(),
  establishment: text(100).optional(),
  expiringWithinDays: z.coerce.number().int().min(1).max(3650).optional(),
  q: text(100).optional(),
  after: text(400).optional(),
  limit: limitParam,
});
export type CertificateQueryInput = z.infer<typeof certificateQuerySchema>;

export function parseCertificateQuery(query: unknown, strict: boolean): CertificateQueryInput {
  return readQuery(certificateQuerySchema, query, { strict });
}

/** One page of certificates, filtered; see RegistryRepository.listCertificates for the order. */
export async function listCertificates(deps: RegistryDeps, input: CertificateQueryInput): Promise<Page<CertificateView>> {
  const now = deps.clock.now().getTime();
  const expiring = input.expiringWithinDays !== undefined;
  const rows = await deps.storage.registry.listCertificates(
    { kind: input.kind, state: input.status, establishmentId: input.establishment, expiringWithinDays: input.expiringWithinDays, q: input.q, now },
    decodeCursor(input.after),
    input.limit + 1,
  );
  return pageOf(rows, input.limit, (r) => ({ n: expiring ? r.notAfter : r.createdAt, s: r.serial }), (r) => certificateView(r, now));
}

/** Serials are accepted with or without colons, in either case. */
export function normalizeSerial(serial: string): string {
  return serial.replace(/:/g, '').trim().toLowerCase().slice(0, 80);
}

export async function getCertificate(deps: RegistryDeps, serial: string): Promise<CertificateView> {
  const row = await deps.storage.registry.findCertificate(normalizeSerial(serial));
  if (!row) throw new NotFoundError('certificate_not_found', `no certificate with serial ${serial}`);
  return certificateView(row, deps.clock.now().getTime());
}

export function parseReason(value: unknown): OfferedReason {
  const reason = OFFERED_REVOCATION_REASONS.find((r) => r === value);
  if (!reason) throw new BadRequestError('invalid_reason', `the reason must be one of ${OFFERED_REVOCATION_REASONS.join(', ')}`, { field: 'reason' });
  return reason;
}

export interface Revocation {
  certificate: CertificateView;
  /** The CRL published right after the revocation, which lists it. */
  crlNumber: number;
}

/**
 * Revokes at once (the gateway checks the database on every request) and publishes a new
 * CRL (CertificateAuthority.revoke); a refused revocation is audited as a failure.
 */
export async function revokeCertificate(deps: RegistryDeps, serial: string, reasonText: unknown, actor: CoordinatorActor): Promise<Revocation> {
  const normalized = normalizeSerial(serial);
  try {
    const reason = parseReason(reasonText);
    await deps.authority.revoke(normalized, reason, actor);
  } catch (error) {
    if (error instanceof PasserelleError && error.expose) {
      await deps.auditor.record({
        action: 'certificate.revoke',
        outcome: 'failure',
        reason: error.code,
        actor: actor.name,
        ip: actor.ip ?? null,
        certificateSerial: /^[0-9a-f]{1,80}$/.test(normalized) ? normalized : null,
        details: { actorCertificateSerial: actor.certificateSerial ?? null },
      });
    }
    throw error;
  }
  const crl = await deps.storage.crls.latest();
  return { certificate: await getCertificate(deps, normalized), crlNumber: crl?.number ?? 0 };
}
