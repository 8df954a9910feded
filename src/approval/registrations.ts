import { retryOnUniqueViolation } from '../accounts/service.ts';
import { enqueueMail } from '../notification/outbox.ts';
import type { DecisionStatus, Registration } from '../model/index.ts';
import { audited, decidedOnce, notFound, requirePending, requireReason } from './decision.ts';
import { iso } from '../shared/time.ts';
import { findDuplicates, type Duplicate } from './duplicates.ts';
import { mailDeps, type Actor, type ApprovalDeps } from './deps.ts';

export interface RegistrationView {
  id: string;
  status: DecisionStatus;
  givenName: string;
  familyName: string;
  email: string;
  profession: string | null;
  rpps: string | null;
  establishmentId: string | null;
  /** Free text when the establishment is not in the list yet. */
  establishmentName: string | null;
  reason: string | null;
  requestedApplication: string | null;
  lang: 'fr' | 'en';
  ip: string | null;
  createdAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  userId: string | null;
  duplicates: Duplicate[];
}

function view(r: Registration, duplicates: Duplicate[]): RegistrationView {
  return {
    id: r.id,
    status: r.status,
    givenName: r.givenName,
    familyName: r.familyName,
    email: r.email,
    profession: r.profession,
    rpps: r.rpps,
    establishmentId: r.establishmentId,
    establishmentName: r.establishmentName,
    reason: r.reason,
    requestedApplication: r.requestedApplication,
    lang: r.lang,
    ip: r.ip,
    createdAt: iso(r.createdAt),
    decidedBy: r.decidedBy,
    decidedAt: iso(r.decidedAt),
    decisionReason: r.decisionReason,
    userId: r.userId,
    duplicates,
  };
}

/** Registrations (oldest pending first), each with its possible duplicates. */
export async function listRegistrations(deps: ApprovalDeps, status?: DecisionStatus): Promise<RegistrationView[]> {
  const rows = await deps.storage.registrations.list(status);
  const duplicates = await findDuplicates(deps.storage.duplicateCandidates, rows);
  return rows.map((r) => view(r, duplicates.get(r.id) ?? []));
}

export async function getRegistration(deps: ApprovalDeps, id: string): Promise<RegistrationView> {
  const row = await deps.storage.registrations.findById(id);
  if (!row) throw notFound('registration', id);
  return view(row, (await findDuplicates(deps.storage.duplicateCandidates, [row])).get(row.id) ?? []);
}

export interface ApprovedRegistration {
  id: string;
  status: 'approved';
  identifier: string;
  userId: string;
  /** The access request opened for the application asked for at registration, if any. */
  accessRequestId: string | null;
}

/**
 * pending → approved: the account (identifier `givenname.familyname`, `-2`… on collision,
 * provisional password), the decision, the access request for the application asked for and
 * the mail with the identifier and the provisional password — one transaction.
 */
export function approveRegistration(deps: ApprovalDeps, id: string, actor: Actor): Promise<ApprovedRegistration> {
  return audited(deps, { action: 'registration.approve', actor, subject: `registration:${id}`, details: { registrationId: id } }, async () => {
    const registration = requirePending('registration', id, await deps.storage.registrations.findById(id));
    // Validation and the argon2 hash happen before the transaction, which stays short.
    const prepared = await deps.accounts.prepareUser({
      givenName: registration.givenName,
      familyName: registration.familyName,
      email: registration.email,
      establishmentId: registration.establishmentId,
      role: 'clinician',
      password: null,
      profession: registration.profession,
      rpps: registration.rpps,
      lang: registration.lang,
    });
    const application = registration.requestedApplication ? deps.config.applications.find((a) => a.id === registration.requestedApplication) : undefined;

    return retryOnUniqueViolation(() =>
      deps.storage.transaction(async (repos) => {
        requirePending('registration', id, await repos.registrations.findById(id));
        const user = await deps.accounts.createUserIn(repos, prepared, actor);
        const now = deps.clock.now().getTime();
        // Conditional on pending: of two coordinators approving at once, one wins, the other rolls back.
        decidedOnce(await repos.registrations.approve(id, user.id, actor.name, now), 'registration', id);
        let accessRequestId: string | null = null;
        if (application) {
          accessRequestId = deps.random.uuid();
          await repos.accessRequests.insert({ id: accessRequestId, userId: user.id, applicationId: application.id, createdAt: now });
        }
        await enqueueMail(repos, mailDeps(deps), {
          to: user.email,
          template: 'registration.approved',
          lang: user.lang,
          data: {
            givenName: user.givenName,
            identifier: user.identifier,
            provisionalPassword: prepared.provisionalPassword!,
            portalUrl: deps.config.publicUrl,
            expiresAt: user.provisionalExpiresAt!,
          },
        });
        await deps.auditor.with(repos.audit).record({
          action: 'registration.approve',
          outcome: 'success',
          actor: actor.name,
          ip: actor.ip ?? null,
          certificateSerial: actor.certificateSerial ?? null,
          subject: user.identifier,
          applicationId: application?.id ?? null,
          details: { registrationId: id, userId: user.id, accessRequestId, requestedApplication: registration.requestedApplication },
        });
        return { id, status: 'approved' as const, identifier: user.identifier, userId: user.id, accessRequestId };
      }),
    );
  });
}

/** pending → rejected, and the reason goes to the person. */
export function rejectRegistration(deps: ApprovalDeps, id: string, reasonText: string | null | undefined, actor: Actor): Promise<{ id: string; status: 'rejected' }> {
  return audited(deps, { action: 'registration.reject', actor, subject: `registration:${id}`, details: { registrationId: id } }, async () => {
    const reason = requireReason(reasonText);
    return deps.storage.transaction(async (repos) => {
      const registration = requirePending('registration', id, await repos.registrations.findById(id));
      decidedOnce(await repos.registrations.reject(id, reason, actor.name, deps.clock.now().getTime()), 'registration', id);
      await enqueueMail(repos, mailDeps(deps), { to: registration.email, template: 'registration.rejected', lang: registration.lang, data: { givenName: registration.givenName, reason } });
      await deps.auditor.with(repos.audit).record({
        action: 'registration.reject',
        outcome: 'success',
        actor: actor.name,
        ip: actor.ip ?? null,
        certificateSerial: actor.certificateSerial ?? null,
        subject: `registration:${id}`,
        details: { registrationId: id, email: registration.email, reason },
      });
      return { id, status: 'rejected' as const };
    });
  });
}
