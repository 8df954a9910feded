import type { Clock } from '../shared/clock.ts';
import type { Random } from '../shared/random.ts';
import { enqueueMail } from '../notification/outbox.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.ts';
import type { CertificateRecord, Establishment, Repositories, Storage, User } from '../storage/index.ts';
import type { Auditor } from '../audit/auditor.ts';
import type { Actor } from '../model/actor.ts';
import { generateCrl, issueClientCertificate, parseRevocationReason, type ClientProfile, type Pki, type RevocationReason } from '../pki/index.ts';
import { certificateRecord, collectiveProfile, personalProfile } from './records.ts';

export interface AuthorityDeps {
  pki: Pki;
  storage: Storage;
  clock: Clock;
  random: Random;
  auditor: Auditor;
  organization: string;
  crlValidityHours: number;
}

/**
 * Issuance and revocation with their records: the certificate row, the audit event and,
 * on revocation, a new CRL — so every replica sees the same state in the database.
 */
export class CertificateAuthority {
  constructor(private readonly deps: AuthorityDeps) {}

  async issueForUser(user: User, label: string, publicKey: CryptoKey, actor: Actor): Promise<CertificateRecord> {
    return this.#issue(personalProfile(user, this.deps.organization), { userId: user.id, establishmentId: user.establishmentId, label: requireLabel(label), subjectName: user.identifier }, publicKey, actor);
  }

  async issueCollective(establishment: Establishment, label: string, publicKey: CryptoKey, actor: Actor): Promise<CertificateRecord> {
    const machineLabel = requireLabel(label);
    return this.#issue(collectiveProfile(establishment, machineLabel), { userId: null, establishmentId: establishment.id, label: machineLabel, subjectName: `establishment:${establishment.id}` }, publicKey, actor);
  }

  async #issue(
    profile: ClientProfile,
    owner: { userId: string | null; establishmentId: string | null; label: string; subjectName: string },
    publicKey: CryptoKey,
    actor: Actor,
  ): Promise<CertificateRecord> {
    const label = owner.label;
    const issued = await issueClientCertificate(this.deps.pki, profile, publicKey);
    const record = certificateRecord(issued, { kind: profile.kind, userId: owner.userId, establishmentId: profile.kind === 'collective' ? owner.establishmentId : null, label }, this.deps.clock.now().getTime());
    await this.deps.storage.transaction(async (repos) => {
      await repos.certificates.insert(record);
      await this.deps.auditor.with(repos.audit).record({
        action: 'certificate.issue',
        outcome: 'success',
        actor: actor.name,
        ip: actor.ip ?? null,
        certificateSerial: record.serial,
        subject: owner.subjectName,
        details: { kind: record.kind, label, notAfter: new Date(record.notAfter).toISOString() },
      });
    });
    return record;
  }

  /** Revokes at once (the gateway checks the database on every request) and publishes a new CRL. */
  async revoke(serial: string, reasonText: string, actor: Actor): Promise<CertificateRecord> {
    const reason: RevocationReason = parseRevocationReason(reasonText);
    const normalized = serial.replace(/:/g, '').toLowerCase();
    const existing = await this.deps.storage.certificates.findBySerial(normalized);
    if (!existing) throw new NotFoundError('certificate_not_found', `no certificate with serial ${serial}`);
    const revoked = await this.deps.storage.transaction(async (repos) => {
      const changed = await repos.certificates.revoke(normalized, reason, this.deps.clock.now().getTime());
      if (!changed) throw new ConflictError('already_revoked', `certificate ${normalized} is already revoked`);
      const holder = await certificateHolder(repos, existing);
      await this.deps.auditor.with(repos.audit).record({
        action: 'certificate.revoke',
        outcome: 'success',
        reason,
        actor: actor.name,
        ip: actor.ip ?? null,
        certificateSerial: normalized,
        // certificateSerial is the revoked one; the coordinator's own certificate goes in details.
        details: actor.certificateSerial ? { actorCertificateSerial: actor.certificateSerial } : null,
        subject: holder?.subject ?? null,
      });
      // The holder hears of it, in the same transaction (a replaced certificate gets a "replaced" wording).
      if (holder) {
        await enqueueMail(repos, this.deps, { to: holder.email, template: 'certificate.revoked', lang: holder.lang, data: { holderName: holder.name, label: existing.label, serial: normalized, reason } });
      }
      return (await repos.certificates.findBySerial(normalized))!;
    });
    await this.publishCrl();
    return revoked;
  }

  /** Signs a CRL of every revoked serial and stores it under the next number. */
  async publishCrl(): Promise<Uint8Array> {
    const { storage, clock, pki, crlValidityHours } = this.deps;
    for (let attempt = 0; ; attempt += 1) {
      const entries = (await storage.certificates.listRevoked()).map((c) => ({
        serial: c.serial,
        revokedAt: new Date(c.revokedAt ?? 0),
        reason: parseRevocationReason(c.revocationReason ?? 'unspecified'),
      }));
      const number = await storage.crls.nextNumber();
      const thisUpdate = clock.now();
      const nextUpdate = new Date(thisUpdate.getTime() + crlValidityHours * 3_600_000);
      const der = await generateCrl(pki, { number, thisUpdate, nextUpdate, entries });
      try {
        await storage.crls.insert({ number, der, thisUpdate: thisUpdate.getTime(), nextUpdate: nextUpdate.getTime() });
        return der;
      } catch (error) {
        // Another replica published number N meanwhile: rebuild from fresh state.
        if (attempt < 5) continue;
        throw error;
      }
    }
  }

  /** The latest CRL, republished when missing or past half its validity. */
  async currentCrl(): Promise<Uint8Array> {
    const latest = await this.deps.storage.crls.latest();
    const now = this.deps.clock.now().getTime();
    if (latest && now < latest.thisUpdate + (latest.nextUpdate - latest.thisUpdate) / 2) return latest.der;
    return this.publishCrl();
  }
}

function requireLabel(value: string): string {
  const label = value.trim().replace(/\s+/g, ' ');
  if (!label || label.length > 100) throw new BadRequestError('invalid_label', 'the workstation label must have 1 to 100 characters');
  return label;
}

/** Who a certificate's news goes to: the person, or the referent of a collective certificate's establishment. */
async function certificateHolder(repos: Repositories, certificate: CertificateRecord): Promise<{ email: string; lang: 'fr' | 'en'; name: string; subject: string } | null> {
  if (certificate.userId) {
    const user = await repos.users.findById(certificate.userId);
    return user ? { email: user.email, lang: user.lang, name: `${user.givenName} ${user.familyName}`, subject: user.identifier } : null;
  }
  const establishment = certificate.establishmentId ? await repos.establishments.findById(certificate.establishmentId) : undefined;
  return establishment ? { email: establishment.referentEmail, lang: 'fr', name: establishment.name, subject: `establishment:${establishment.id}` } : null;
}
