import type { Clock } from '../shared/clock.ts';
import type { Random } from '../shared/random.ts';
import { enqueueMail } from '../notification/outbox.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.ts';
import type { Repositories, Storage } from '../storage/index.ts';
import type { CertificateRecord, Establishment, User } from '../model/index.ts';
import type { Auditor } from '../audit/auditor.ts';
import type { Actor } from '../model/actor.ts';
import { generateCrl, issueClientCertificate, parseRevocationReason, type ClientProfile, type IssuedCertificate, type Pki, type RevocationReason } from '../pki/index.ts';
import { certificateRecord, type CertificateOwner } from './records.ts';

export interface AuthorityDeps {
  pki: Pki;
  storage: Storage;
  clock: Clock;
  random: Random;
  auditor: Auditor;
  organization: string;
  crlValidityHours: number;
}

/** Who an issuance or revocation is audited for: the account identifier or `establishment:<id>`. */
export interface Subject {
  subject: string;
}

/** Options of a revocation made inside a caller's transaction. */
export interface RevokeOptions {
  /** Audit details; by default the coordinator's own certificate, when the action came with one. */
  details?: Record<string, unknown> | null;
  /** Mail the holder (default); a renewal abandoned by its own holder is not news to them. */
  notify?: boolean;
}

/**
 * The only code that issues, records and revokes certificates: the certificate row, the audit event, the
 * holder's mail on revocation and the CRL — so every replica sees the same state in the database.
 * Features with their own transaction (withdrawal spends a code, renewal links the old certificate) sign
 * with `sign` and record with `recordIssued` / `revokeIn` on their transaction's repositories.
 */
export class CertificateAuthority {
  constructor(private readonly deps: AuthorityDeps) {}

  async issueForUser(user: User, label: string, publicKey: CryptoKey, actor: Actor): Promise<CertificateRecord> {
    return this.#issue(this.personalProfile(user), { kind: 'personal', userId: user.id, establishmentId: user.establishmentId, label: requireLabel(label), subject: user.identifier }, publicKey, actor);
  }

  async issueCollective(establishment: Establishment, label: string, publicKey: CryptoKey, actor: Actor): Promise<CertificateRecord> {
    const machineLabel = requireLabel(label);
    return this.#issue(this.collectiveProfile(establishment, machineLabel), { kind: 'collective', userId: null, establishmentId: establishment.id, label: machineLabel, subject: `establishment:${establishment.id}` }, publicKey, actor);
  }

  /*
   * The profiles: only the authority decides what a certificate says (subject and, through the profile's
   * kind, its extensions in src/pki) — never the CSR, never the caller.
   */

  /** A personal certificate: the subject comes from the account, never from the CSR. */
  personalProfile(user: User): ClientProfile {
    return { kind: 'personal', identifier: user.identifier, givenName: user.givenName, familyName: user.familyName, email: user.email, organization: this.deps.organization };
  }

  /** A shared workstation: the establishment and the machine label, never a person. */
  collectiveProfile(establishment: Establishment, machineLabel: string): ClientProfile {
    return { kind: 'collective', establishmentId: establishment.id, establishmentName: establishment.name, machineLabel };
  }

  /** Signs a certificate; nothing is recorded until `recordIssued` runs (so the caller's transaction stays short). */
  sign(profile: ClientProfile, publicKey: CryptoKey): Promise<IssuedCertificate> {
    return issueClientCertificate(this.deps.pki, profile, publicKey);
  }

  /**
   * Records a signed certificate in the caller's transaction: the row (with the serial it replaces, for a
   * renewal) and the `certificate.issue` audit event, `details` between the kind/label and the expiry.
   */
  async recordIssued(
    repos: Repositories,
    issued: IssuedCertificate,
    owner: CertificateOwner & Subject & { replacesSerial?: string },
    actor: Actor,
    details: Record<string, unknown> = {},
  ): Promise<CertificateRecord> {
    const record = certificateRecord(issued, owner, this.deps.clock.now().getTime());
    await repos.certificates.insert(record);
    if (owner.replacesSerial) await repos.certificates.setReplacesSerial(record.serial, owner.replacesSerial);
    await this.deps.auditor.with(repos.audit).record({
      action: 'certificate.issue',
      outcome: 'success',
      actor: actor.name,
      ip: actor.ip ?? null,
      certificateSerial: record.serial,
      subject: owner.subject,
      details: { kind: record.kind, label: record.label, ...details, notAfter: new Date(record.notAfter).toISOString() },
    });
    return record;
  }

  async #issue(profile: ClientProfile, owner: CertificateOwner & Subject, publicKey: CryptoKey, actor: Actor): Promise<CertificateRecord> {
    const issued = await this.sign(profile, publicKey);
    return this.deps.storage.transaction((repos) => this.recordIssued(repos, issued, owner, actor));
  }

  /** Revokes at once (the gateway checks the database on every request) and publishes a new CRL. */
  async revoke(serial: string, reasonText: string, actor: Actor): Promise<CertificateRecord> {
    const reason: RevocationReason = parseRevocationReason(reasonText);
    const normalized = serial.replace(/:/g, '').toLowerCase();
    const existing = await this.deps.storage.certificates.findBySerial(normalized);
    if (!existing) throw new NotFoundError('certificate_not_found', `no certificate with serial ${serial}`);
    const revoked = await this.deps.storage.transaction(async (repos) => {
      if (!(await this.revokeIn(repos, existing, reason, actor))) throw new ConflictError('already_revoked', `certificate ${normalized} is already revoked`);
      return (await repos.certificates.findBySerial(normalized))!;
    });
    await this.publishCrl();
    return revoked;
  }

  /**
   * Revokes in the caller's transaction: the row, the audit event and the holder's mail (a replaced
   * certificate gets a "replaced" wording). False when it was already revoked. The caller publishes a CRL
   * once its transaction has committed.
   */
  async revokeIn(repos: Repositories, certificate: CertificateRecord, reason: RevocationReason, actor: Actor, options: RevokeOptions = {}): Promise<boolean> {
    const { serial } = certificate;
    if (!(await repos.certificates.revoke(serial, reason, this.deps.clock.now().getTime()))) return false;
    const holder = await certificateHolder(repos, certificate);
    await this.deps.auditor.with(repos.audit).record({
      action: 'certificate.revoke',
      outcome: 'success',
      reason,
      actor: actor.name,
      ip: actor.ip ?? null,
      certificateSerial: serial,
      // certificateSerial is the revoked one; the coordinator's own certificate goes in details.
      details: options.details !== undefined ? options.details : actor.certificateSerial ? { actorCertificateSerial: actor.certificateSerial } : null,
      subject: holder?.subject ?? null,
    });
    if (holder && options.notify !== false) {
      await enqueueMail(repos, this.deps, { to: holder.email, template: 'certificate.revoked', lang: holder.lang, data: { holderName: holder.name, label: certificate.label, serial, reason } });
    }
    return true;
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
