/**
 * What the cell does to one account: edit identity and function, unlock, deactivate,
 * reactivate, resend the activation mail, revoke a certificate or an application grant, issue
 * a new withdrawal code. Each change, its mail and its audit row commit together; a refused
 * action (wrong state, unknown item) leaves a failure row. Shared by the console pages, the
 * admin API and the CLI.
 */
import { audited } from '../approval/decision.ts';
import { hashPassword } from '../authentication/password.ts';
import type { Repositories } from '../storage/index.ts';
import type { CertificateRecord } from '../model/index.ts';
import { performAction, type ActionOutcome, type ConsoleActor } from '../console/index.ts';
import { enqueueMail } from '../notification/outbox.ts';
import type { Outcome } from '../portal/fields.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.ts';
import { READABLE_ALPHABET } from '../shared/random.ts';
import { OFFERED_REVOCATION_REASONS, type OfferedReason } from '../registry/certificates.ts';
import { readIdentity, type IdentityForm } from './forms.ts';
import { requirePerson } from './person.ts';
import type { PersonRow, UpdatableIdentity } from '../model/people.ts';
import { DAY_MS, type PeopleActor, type PeopleDeps } from './deps.ts';

export const PROVISIONAL_PASSWORD_LENGTH = 14;
/** An invitation (and a resent one) is valid this long. */
export const INVITATION_DAYS = 14;

/** One of the RFC 5280 reasons the cell may choose (the registry's list: no cACompromise, no certificateHold). */
export function isOfferedReason(value: unknown): value is OfferedReason {
  return typeof value === 'string' && (OFFERED_REVOCATION_REASONS as readonly string[]).includes(value);
}

/** Records a success of `actor` (name, IP, certificate) inside the transaction of `repos`. */
export function auditOf(deps: PeopleDeps, repos: Repositories, actor: PeopleActor) {
  const audit = deps.auditor.with(repos.audit);
  return (event: { action: string; subject: string; reason?: string | null; applicationId?: string | null; details?: Record<string, unknown> | null }) =>
    audit.record({ outcome: 'success', actor: actor.name, ip: actor.ip ?? null, certificateSerial: actor.certificateSerial ?? null, ...event });
}

/** A fresh provisional password and its argon2id hash (slow: computed before any transaction). */
export async function provisionalPassword(deps: Pick<PeopleDeps, 'random'>): Promise<{ password: string; hash: string }> {
  const password = deps.random.string(PROVISIONAL_PASSWORD_LENGTH, READABLE_ALPHABET);
  return { password, hash: await hashPassword(password) };
}

/**
 * The mail with the identifier and a provisional password: an invitation (reminder 0, 1, 2…)
 * when the cell created the account, else the activation mail of an approved registration.
 */
export function queueActivationMail(
  repos: Repositories,
  deps: PeopleDeps,
  person: Pick<PersonRow, 'email' | 'lang' | 'givenName' | 'identifier'>,
  password: string,
  expiresAt: number,
  invitation: { reminder: number } | null,
): Promise<string> {
  const data = { givenName: person.givenName, identifier: person.identifier, provisionalPassword: password, portalUrl: deps.config.publicUrl, expiresAt };
  const mailDeps = { clock: deps.clock, random: deps.random };
  return invitation
    ? enqueueMail(repos, mailDeps, { to: person.email, template: 'invitation', lang: person.lang, data: { ...data, reminder: invitation.reminder } })
    : enqueueMail(repos, mailDeps, { to: person.email, template: 'registration.approved', lang: person.lang, data });
}

/** Whether the person was invited by the cell and has not activated the account yet. */
function invitationPending(person: PersonRow): boolean {
  return person.invitedAt != null && person.termsAcceptedAt == null;
}

/** Establishments a person may be attached to. */
export async function establishmentIds(deps: Pick<PeopleDeps, 'storage'>): Promise<string[]> {
  return (await deps.storage.people.establishmentNames()).map((e) => e.id);
}

/**
 * Identity and function (names, profession, RPPS/ADELI, establishment). The identifier stays:
 * it is the person's login and what applications know them by. Audited with old and new values.
 */
export async function updateIdentity(deps: PeopleDeps, id: string, form: IdentityForm, actor: PeopleActor): Promise<Outcome<{ changed: string[] }>> {
  const person = await requirePerson(deps, id);
  const read = readIdentity(form, await establishmentIds(deps));
  if (!read.ok) return read;
  const next: UpdatableIdentity = read.value;
  const changes: Record<string, { from: string | null; to: string | null }> = {};
  for (const key of ['givenName', 'familyName', 'profession', 'rpps', 'establishmentId'] as const) {
    if ((person[key] ?? null) !== next[key]) changes[key] = { from: person[key] ?? null, to: next[key] };
  }
  const changed = Object.keys(changes);
  if (changed.length === 0) return { ok: true, value: { changed } };
  await deps.storage.transaction(async (repos) => {
    if (!(await repos.users.updateIdentity(person.id, next, deps.clock.now().getTime()))) throw new NotFoundError('user_not_found', `no person ${id}`);
    await auditOf(deps, repos, actor)({ action: 'person.update', subject: person.identifier, details: { changes } });
  });
  return { ok: true, value: { changed } };
}

/**
 * locked → provisional with a new provisional password, mailed to the person (the lockout came
 * from password guessing: the old password is not given back).
 */
export function unlockPerson(deps: PeopleDeps, id: string, actor: PeopleActor): Promise<{ identifier: string; status: 'provisional'; expiresAt: number }> {
  return audited(deps, { action: 'user.unlock', actor, subject: id, details: { personId: id } }, async () => {
    const person = await requirePerson(deps, id);
    if (person.status !== 'locked') throw new ConflictError('not_locked', `${person.identifier} is not locked`);
    const { password, hash } = await provisionalPassword(deps);
    return deps.storage.transaction(async (repos) => {
      const now = deps.clock.now().getTime();
      const expiresAt = now + deps.config.accounts.provisionalPasswordDays * DAY_MS;
      // Conditional on locked: of two coordinators unlocking at once, one mail goes out.
      if (!(await repos.users.unlock(person.id, now, 'provisional'))) throw new ConflictError('not_locked', `${person.identifier} is not locked`);
      await repos.users.setPassword(person.id, hash, now, expiresAt);
      await enqueueMail(repos, { clock: deps.clock, random: deps.random }, {
        to: person.email,
        template: 'account.unlocked',
        lang: person.lang,
        data: { givenName: person.givenName, identifier: person.identifier, provisionalPassword: password, portalUrl: deps.config.publicUrl, expiresAt },
      });
      await auditOf(deps, repos, actor)({ action: 'user.unlock', subject: person.identifier, details: { mailed: true, expiresAt: new Date(expiresAt).toISOString() } });
      return { identifier: person.identifier, status: 'provisional' as const, expiresAt };
    });
  });
}

/** Any state → deactivated: every certificate and session of the person is refused from the next request. */
export function deactivatePerson(deps: PeopleDeps, id: string, actor: PeopleActor): Promise<{ identifier: string; status: 'deactivated' }> {
  return audited(deps, { action: 'user.deactivate', actor, subject: id, details: { personId: id } }, async () => {
    const person = await requirePerson(deps, id);
    if (person.status === 'deactivated') throw new ConflictError('already_deactivated', `${person.identifier} is already deactivated`);
    if (person.id === (actor as Partial<ConsoleActor>).userId) throw new ConflictError('cannot_deactivate_self', 'a coordinator cannot deactivate their own account');
    await deps.storage.transaction(async (repos) => {
      await repos.users.setStatus(person.id, 'deactivated', deps.clock.now().getTime());
      await auditOf(deps, repos, actor)({ action: 'user.deactivate', subject: person.identifier, details: { from: person.status } });
    });
    return { identifier: person.identifier, status: 'deactivated' as const };
  });
}

/**
 * deactivated → active; or back to provisional when the current password is still a
 * provisional one (never activated, or reset): reactivation must not skip the first login.
 */
export function reactivatePerson(deps: PeopleDeps, id: string, actor: PeopleActor): Promise<{ identifier: string; status: 'active' | 'provisional' }> {
  return audited(deps, { action: 'user.reactivate', actor, subject: id, details: { personId: id } }, async () => {
    const person = await requirePerson(deps, id);
    if (person.status !== 'deactivated') throw new ConflictError('not_deactivated', `${person.identifier} is not deactivated`);
    const status = person.provisionalExpiresAt != null ? ('provisional' as const) : ('active' as const);
    await deps.storage.transaction(async (repos) => {
      await repos.users.setStatus(person.id, status, deps.clock.now().getTime());
      await auditOf(deps, repos, actor)({ action: 'user.reactivate', subject: person.identifier, details: { to: status } });
    });
    return { identifier: person.identifier, status };
  });
}

/**
 * A provisional account (expired or not) gets a new provisional password by mail. A pending
 * invitation starts again: 14 more days, reminders from zero.
 */
export function resendActivation(deps: PeopleDeps, id: string, actor: PeopleActor): Promise<{ identifier: string; invitation: boolean; expiresAt: number }> {
  return audited(deps, { action: 'person.activation.resend', actor, subject: id, details: { personId: id } }, async () => {
    const person = await requirePerson(deps, id);
    if (person.status !== 'provisional') throw new ConflictError('not_provisional', `${person.identifier} is ${person.status}: only a provisional account gets its activation mail again`);
    const invitation = invitationPending(person);
    const { password, hash } = await provisionalPassword(deps);
    return deps.storage.transaction(async (repos) => {
      const now = deps.clock.now().getTime();
      const expiresAt = now + (invitation ? INVITATION_DAYS : deps.config.accounts.provisionalPasswordDays) * DAY_MS;
      await repos.users.setPassword(person.id, hash, now, expiresAt);
      if (invitation) await repos.users.markInvited(person.id, now);
      await queueActivationMail(repos, deps, person, password, expiresAt, invitation ? { reminder: 0 } : null);
      await auditOf(deps, repos, actor)({ action: 'person.activation.resend', subject: person.identifier, details: { invitation, expiresAt: new Date(expiresAt).toISOString() } });
      return { identifier: person.identifier, invitation, expiresAt };
    });
  });
}

/** One of the person's own certificates, or not found. */
export async function personCertificate(deps: PeopleDeps, id: string, serial: string): Promise<CertificateRecord> {
  const person = await requirePerson(deps, id);
  const record = await deps.storage.certificates.findBySerial(serial.replace(/:/g, '').trim().slice(0, 80));
  if (!record || record.userId !== person.id) throw new NotFoundError('certificate_not_found', `no certificate ${serial} of ${person.identifier}`);
  return record;
}

/** Revokes one of the person's certificates at once (the CRL is published again). */
export async function revokePersonCertificate(deps: PeopleDeps, id: string, serial: string, reason: string, actor: PeopleActor): Promise<CertificateRecord> {
  const record = await personCertificate(deps, id, serial);
  if (!isOfferedReason(reason)) throw new BadRequestError('invalid_reason', `choose one of ${OFFERED_REVOCATION_REASONS.join(', ')}`);
  return deps.authority.revoke(record.serial, reason, actor);
}

/** granted → revoked for one application (the gateway refuses the next request). */
export function revokePersonGrant(deps: PeopleDeps, id: string, applicationId: string, actor: PeopleActor): Promise<{ identifier: string; applicationId: string; status: 'revoked' }> {
  return audited(deps, { action: 'grant.revoke', actor, subject: id, details: { personId: id, applicationId } }, async () => {
    const person = await requirePerson(deps, id);
    await deps.storage.transaction(async (repos) => {
      if (!(await repos.grants.revoke(person.id, applicationId, deps.clock.now().getTime()))) throw new ConflictError('not_granted', `${person.identifier} has no access to ${applicationId}`);
      await auditOf(deps, repos, actor)({ action: 'grant.revoke', subject: person.identifier, applicationId });
    });
    return { identifier: person.identifier, applicationId, status: 'revoked' as const };
  });
}

/**
 * A new withdrawal code for one of the person's approved requests, through the console's
 * decision path: under the four-eyes rule it waits for a second coordinator.
 */
export async function newWithdrawalCode(deps: PeopleDeps, id: string, requestId: string, actor: ConsoleActor): Promise<ActionOutcome> {
  const person = await requirePerson(deps, id);
  const request = await deps.storage.certificateRequests.findById(requestId.slice(0, 100));
  if (!request || request.userId !== person.id) throw new NotFoundError('not_found', `no certificate request ${requestId} of ${person.identifier}`);
  return performAction(deps, { action: 'certificate-request.new-code', targetId: request.id }, actor);
}
