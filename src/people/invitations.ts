/**
 * Invitations: the cell creates an account directly (no registration). The person gets their
 * identifier and a provisional password by mail; the invitation expires after 14 days
 * (users.provisional_expires_at) and, while it waits, up to three reminders go out — at days
 * 3, 7 and 12. A provisional password is only ever stored hashed, so each reminder carries a
 * NEW one (the latest mail is always the one that works) and keeps the original expiry.
 */
import { retryOnUniqueViolation } from '../accounts/service.ts';
import { audited } from '../approval/decision.ts';
import type { Outcome } from '../portal/fields.ts';
import { ConflictError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { readInvitation, type InvitationForm } from './forms.ts';
import { INVITATION_DAYS, auditOf, establishmentIds, provisionalPassword, queueActivationMail } from './actions.ts';
import { DAY_MS, type PeopleActor, type PeopleDeps } from './deps.ts';

/** Days after the invitation when a reminder goes out (while it is still waiting). */
export const REMINDER_DAYS = [3, 7, 12] as const;

export interface CreatedInvitation {
  id: string;
  identifier: string;
  status: 'provisional';
  expiresAt: number;
}

/**
 * A new provisional account and its invitation mail, in one transaction (with the account's
 * own `user.create` row and a `person.invite` row). An address already used by an account is
 * refused: search for that person instead.
 */
export function invitePerson(deps: PeopleDeps, form: InvitationForm, actor: PeopleActor): Promise<Outcome<CreatedInvitation>> {
  return audited(deps, { action: 'person.invite', actor, subject: 'invitation', details: { email: typeof form.email === 'string' ? form.email.slice(0, 254) : null } }, async () => {
    const read = readInvitation(form, await establishmentIds(deps));
    if (!read.ok) return read;
    const invitation = read.value;
    const existing = await deps.storage.people.findByEmail(invitation.email);
    if (existing) throw new ConflictError('email_in_use', `${existing.identifier} already uses ${invitation.email}`);
    // Validation and the argon2 hash happen before the transaction, which stays short.
    const prepared = await deps.accounts.prepareUser({ ...invitation, password: null });
    const created = await retryOnUniqueViolation(() =>
      deps.storage.transaction(async (repos) => {
        const user = await deps.accounts.createUserIn(repos, prepared, actor);
        const now = deps.clock.now().getTime();
        const expiresAt = now + INVITATION_DAYS * DAY_MS;
        await repos.users.markInvited(user.id, now, expiresAt);
        await queueActivationMail(repos, deps, user, prepared.provisionalPassword!, expiresAt, { reminder: 0 });
        await auditOf(deps, repos, actor)({
          action: 'person.invite',
          subject: user.identifier,
          details: { role: user.role, establishmentId: user.establishmentId, expiresAt: new Date(expiresAt).toISOString() },
        });
        return { id: user.id, identifier: user.identifier, status: 'provisional' as const, expiresAt };
      }),
    );
    return { ok: true as const, value: created };
  });
}

/** How many reminders are due `elapsedMs` after the invitation. */
export function remindersDue(elapsedMs: number): number {
  return REMINDER_DAYS.filter((day) => elapsedMs >= day * DAY_MS).length;
}

/**
 * The reminder job (scheduled like the renewal notices): each waiting invitation whose next
 * reminder is due gets one mail with a new provisional password. A job that did not run for a
 * while sends one reminder, not the ones it missed. Each reminder is claimed by a conditional
 * UPDATE in its own transaction, so replicas running the job together send it once.
 * Returns how many reminders were queued.
 */
export async function sendInvitationReminders(runtime: PeopleDeps): Promise<number> {
  const { storage, clock, auditor } = runtime;
  const now = clock.now().getTime();
  let sent = 0;
  for (const person of await storage.people.pendingInvitations(now, REMINDER_DAYS.length)) {
    const invitedAt = Number(person.invitedAt);
    const already = Number(person.invitationReminders);
    const due = remindersDue(now - invitedAt);
    if (due <= already) continue;
    try {
      const { password, hash } = await provisionalPassword(runtime);
      const queued = await storage.transaction(async (repos) => {
        if (!(await repos.users.claimInvitationReminder(person.id, invitedAt, already, due, now))) return false;
        // Same expiry: a reminder does not extend the invitation.
        const expiresAt = Number(person.provisionalExpiresAt);
        await repos.users.setPassword(person.id, hash, now, expiresAt);
        await queueActivationMail(repos, runtime, person, password, expiresAt, { reminder: due });
        await auditor.with(repos.audit).record({
          action: 'person.invitation.reminder',
          outcome: 'info',
          actor: 'system',
          subject: person.identifier,
          details: { reminder: due, invitedAt: new Date(invitedAt).toISOString(), expiresAt: new Date(expiresAt).toISOString() },
        });
        return true;
      });
      if (queued) sent += 1;
    } catch (error) {
      // One bad row (an address the outbox refuses…) must not stop the others.
      logger.error('invitation reminder failed', { identifier: person.identifier, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return sent;
}
