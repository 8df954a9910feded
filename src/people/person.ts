import { getCertificateRequest, type CertificateRequestView } from '../approval/index.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { AuditEvent, User } from '../model/index.ts';
import type { PersonRow } from '../model/people.ts';
import { personStatus, type PersonStatus } from './status.ts';
import type { PeopleDeps } from './deps.ts';
import { iso } from '../shared/time.ts';

/** Audit actions that change an account's state: the "status history" of a person. */
export const STATUS_ACTIONS = [
  'user.create',
  'registration.approve',
  'person.invite',
  'person.invitation.reminder',
  'person.activation.resend',
  'account.activate',
  'password.forgot',
  'password.reset',
  'user.lockout',
  'user.unlock',
  'user.deactivate',
  'user.reactivate',
] as const;

const LOGIN_ACTIONS = ['gateway.login', 'portal.login'] as const;
const LAST_LOGINS = 10;
const AUDIT_TRAIL = 50;

export interface EventView {
  id: number;
  at: string;
  action: string;
  outcome: AuditEvent['outcome'];
  reason: string | null;
  actor: string | null;
  ip: string | null;
  certificateSerial: string | null;
  applicationId: string | null;
  details: Record<string, unknown> | null;
}

export interface PersonView {
  id: string;
  identifier: string;
  givenName: string;
  familyName: string;
  email: string;
  profession: string | null;
  rpps: string | null;
  role: User['role'];
  lang: User['lang'];
  status: PersonStatus;
  /** The stored account state (provisional, active, locked, deactivated). */
  accountStatus: User['status'];
  establishment: { id: string; name: string } | null;
  createdAt: string;
  activatedAt: string | null;
  provisionalExpiresAt: string | null;
  invitation: { invitedAt: string; remindersSent: number } | null;
  lockedAt: string | null;
  lastLogin: { at: string; ip: string | null } | null;
  certificates: Array<{
    serial: string;
    fingerprintSha256: string;
    kind: 'personal' | 'collective';
    label: string;
    state: 'valid' | 'expired' | 'revoked';
    notBefore: string;
    notAfter: string;
    revokedAt: string | null;
    revocationReason: string | null;
  }>;
  certificateRequests: Array<CertificateRequestView & { canReissueCode: boolean }>;
  grants: Array<{ applicationId: string; applicationName: string; status: 'granted' | 'revoked'; since: string }>;
  legacyIdentifiers: Array<{ applicationId: string; applicationName: string; legacyUsername: string; status: string; createdAt: string; cutOverAt: string | null }>;
  lastLogins: EventView[];
  statusHistory: EventView[];
  audit: EventView[];
}

function eventView(e: AuditEvent): EventView {
  return {
    id: e.id,
    at: iso(e.at)!,
    action: e.action,
    outcome: e.outcome,
    reason: e.reason,
    actor: e.actor,
    ip: e.ip,
    certificateSerial: e.certificateSerial,
    applicationId: e.applicationId,
    details: e.details,
  };
}

/** The account by id or identifier (what an operator types), with migration 005's columns. */
export async function requirePerson(deps: Pick<PeopleDeps, 'storage'>, idOrIdentifier: string): Promise<PersonRow> {
  const repository = deps.storage.people;
  const key = idOrIdentifier.trim().slice(0, 200);
  const found = (await repository.findById(key)) ?? (await deps.storage.users.findByIdentifier(key).then((u) => (u ? repository.findById(u.id) : undefined)));
  if (!found) throw new NotFoundError('user_not_found', `no person ${key}`);
  return found;
}

/** Everything the person page (and GET /api/v1/people/{id}) shows about one account. */
export async function getPerson(deps: PeopleDeps, idOrIdentifier: string): Promise<PersonView> {
  const { storage, config, clock } = deps;
  const person = await requirePerson(deps, idOrIdentifier);
  const repository = storage.people;
  const now = clock.now().getTime();
  const appName = (id: string) => config.applications.find((a) => a.id === id)?.name ?? id;

  const [establishment, certificates, requests, grants, legacy, logins, history, audit] = await Promise.all([
    person.establishmentId ? storage.establishments.findById(person.establishmentId) : Promise.resolve(undefined),
    storage.certificates.listByUser(person.id),
    storage.certificateRequests.list({ userId: person.id }),
    storage.grants.listByUser(person.id),
    repository.legacyMappings(person.id),
    repository.events(person.identifier, LOGIN_ACTIONS, LAST_LOGINS, ['success']),
    repository.events(person.identifier, STATUS_ACTIONS, AUDIT_TRAIL, ['success', 'info']),
    repository.events(person.identifier, null, AUDIT_TRAIL),
  ]);
  const requestViews: PersonView['certificateRequests'] = [];
  for (const request of requests.slice().reverse()) {
    const view = await getCertificateRequest(deps, request.id);
    requestViews.push({ ...view, canReissueCode: view.status === 'approved' && person.status !== 'deactivated' });
  }

  return {
    id: person.id,
    identifier: person.identifier,
    givenName: person.givenName,
    familyName: person.familyName,
    email: person.email,
    profession: person.profession,
    rpps: person.rpps,
    role: person.role,
    lang: person.lang,
    status: personStatus(person, now),
    accountStatus: person.status,
    establishment: establishment ? { id: establishment.id, name: establishment.name } : null,
    createdAt: iso(person.createdAt)!,
    activatedAt: iso(person.termsAcceptedAt),
    provisionalExpiresAt: iso(person.provisionalExpiresAt),
    invitation: person.invitedAt != null ? { invitedAt: iso(person.invitedAt)!, remindersSent: Number(person.invitationReminders) } : null,
    lockedAt: iso(person.lockedAt),
    lastLogin: person.lastLoginAt != null ? { at: iso(person.lastLoginAt)!, ip: person.lastLoginIp } : null,
    certificates: certificates
      .slice()
      .reverse()
      .map((c) => ({
        serial: c.serial,
        fingerprintSha256: c.fingerprintSha256,
        kind: c.kind,
        label: c.label,
        state: c.status === 'revoked' ? ('revoked' as const) : Number(c.notAfter) <= now ? ('expired' as const) : ('valid' as const),
        notBefore: iso(c.notBefore)!,
        notAfter: iso(c.notAfter)!,
        revokedAt: iso(c.revokedAt),
        revocationReason: c.revocationReason,
      })),
    certificateRequests: requestViews,
    grants: grants.map((g) => ({ applicationId: g.applicationId, applicationName: appName(g.applicationId), status: g.status, since: iso(g.updatedAt)! })),
    legacyIdentifiers: legacy.map((m) => ({
      applicationId: m.applicationId,
      applicationName: appName(m.applicationId),
      legacyUsername: m.legacyUsername,
      status: m.status,
      createdAt: iso(m.createdAt)!,
      cutOverAt: iso(m.cutOverAt),
    })),
    lastLogins: logins.map(eventView),
    statusHistory: history.map(eventView),
    audit: audit.map(eventView),
  };
}
