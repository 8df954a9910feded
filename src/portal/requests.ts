import { isUniqueViolation } from '../accounts/service.ts';
import type { AccessRequest, CertificateRecord, CertificateRequest, User } from '../model/index.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import type { PortalDeps, RequestContext } from './deps.ts';
import { FormCheck, type Outcome } from './fields.ts';
import { accessibleApplications } from '../authorization/access.ts';

/** Pending certificate requests one person may have at once (several machines, not a flood). */
export const MAX_PENDING_CERTIFICATE_REQUESTS = 10;

/** One request per workstation, labelled so the person and the cell know which machine it is. */
export async function requestCertificate(deps: PortalDeps, user: User, rawLabel: unknown, context: RequestContext): Promise<Outcome<CertificateRequest['id']>> {
  const { storage, clock, random, auditor } = deps;
  const check = new FormCheck();
  const label = check.text('label', rawLabel, { required: true, max: 100 });
  if (!check.ok) return { ok: false, errors: check.errors };
  const pending = await storage.certificateRequests.list({ userId: user.id, status: 'pending' }, MAX_PENDING_CERTIFICATE_REQUESTS + 1);
  if (pending.length >= MAX_PENDING_CERTIFICATE_REQUESTS) return { ok: false, errors: [{ field: 'label', code: 'too_many_pending' }] };
  const id = random.uuid();
  await storage.transaction(async (repos) => {
    await repos.certificateRequests.insert({ id, kind: 'personal', userId: user.id, establishmentId: null, label: label!, requestedBy: user.identifier, createdAt: clock.now().getTime() });
    await auditor.with(repos.audit).record({ action: 'certificate-request.submit', outcome: 'success', actor: user.identifier, subject: user.identifier, ip: context.ip, details: { requestId: id, kind: 'personal', label } });
  });
  return { ok: true, value: id };
}

export type CertificateState = 'valid' | 'revoked' | 'expired';

export interface CertificatesView {
  requests: CertificateRequest[];
  certificates: Array<CertificateRecord & { state: CertificateState }>;
}

/** The person's requests (newest first) and personal certificates, with their state now. */
export async function listCertificates(deps: PortalDeps, user: User): Promise<CertificatesView> {
  const now = deps.clock.now().getTime();
  const requests = (await deps.storage.certificateRequests.list({ userId: user.id }, 500)).filter((r) => r.kind === 'personal').reverse();
  const certificates = (await deps.storage.certificates.listByUser(user.id))
    .filter((c) => c.kind === 'personal')
    .reverse()
    .map((c) => {
      const state: CertificateState = c.status === 'revoked' ? 'revoked' : now >= c.notAfter ? 'expired' : 'valid';
      return { ...c, state };
    });
  return { requests, certificates };
}

/** Why a person revokes their own certificate. */
export type SelfRevocationReason = 'lost' | 'replaced';

export const SELF_REVOCATION_REASONS: readonly SelfRevocationReason[] = ['lost', 'replaced'];

/** One of MY valid personal certificates; anything else reads as not found (no probing of serials). */
export async function ownValidCertificate(deps: PortalDeps, user: User, serial: string): Promise<CertificateRecord> {
  const normalized = serial.replace(/:/g, '').toLowerCase();
  const record = /^[0-9a-f]{1,64}$/.test(normalized) ? await deps.storage.certificates.findBySerial(normalized) : undefined;
  if (!record || record.userId !== user.id || record.kind !== 'personal') throw new NotFoundError('certificate_not_found', 'no such certificate among yours');
  if (record.status !== 'valid') throw new ConflictError('already_revoked', 'this certificate is already revoked');
  return record;
}

/**
 * A lost machine means the key may be in someone else's hands (keyCompromise); a replaced
 * one is simply out of service (cessationOfOperation). Effective at once on every replica.
 */
export async function revokeOwnCertificate(deps: PortalDeps, user: User, serial: string, why: SelfRevocationReason, context: RequestContext): Promise<CertificateRecord> {
  const record = await ownValidCertificate(deps, user, serial);
  return deps.authority.revoke(record.serial, why === 'lost' ? 'keyCompromise' : 'cessationOfOperation', { name: user.identifier, ip: context.ip });
}

export type ApplicationAccess =
  | { state: 'granted' }
  | { state: 'pending'; since: number }
  | { state: 'rejected'; reason: string | null; at: number | null }
  | { state: 'none' };

export interface ApplicationView {
  id: string;
  name: string;
  host: string;
  access: ApplicationAccess;
}

/** The catalogue with this person's standing for each application. */
export async function listApplications(deps: PortalDeps, user: User): Promise<ApplicationView[]> {
  const granted = await accessibleApplications(deps.storage, user.id);
  const requests = await deps.storage.accessRequests.list({ userId: user.id }, 500);
  return deps.config.applications.map((app) => {
    const mine = requests.filter((r) => r.applicationId === app.id);
    const pending = mine.find((r) => r.status === 'pending');
    const latest = mine.at(-1);
    let access: ApplicationAccess = { state: 'none' };
    if (granted.has(app.id)) access = { state: 'granted' };
    else if (pending) access = { state: 'pending', since: pending.createdAt };
    else if (latest?.status === 'rejected') access = { state: 'rejected', reason: latest.decisionReason, at: latest.decidedAt };
    return { id: app.id, name: app.name, host: app.host, access };
  });
}

/** A request for an application of the catalogue, unless one is pending or access is granted. */
export async function requestAccess(deps: PortalDeps, user: User, applicationId: string, context: RequestContext): Promise<AccessRequest['id']> {
  const { storage, config, clock, random, auditor } = deps;
  const application = config.applications.find((a) => a.id === applicationId);
  if (!application) throw new NotFoundError('application_not_found', 'no such application in the catalogue');
  const id = random.uuid();
  const refused = await storage
    .transaction(async (repos) => {
      const audit = auditor.with(repos.audit);
      const conflict = (await repos.grants.isGranted(user.id, applicationId)) ? 'already_granted' : (await repos.accessRequests.findPending(user.id, applicationId)) ? 'already_pending' : null;
      if (conflict) {
        await audit.record({ action: 'access-request.submit', outcome: 'failure', reason: conflict, actor: user.identifier, subject: user.identifier, applicationId, ip: context.ip });
        return conflict;
      }
      await repos.accessRequests.insert({ id, userId: user.id, applicationId, createdAt: clock.now().getTime() });
      await audit.record({ action: 'access-request.submit', outcome: 'success', actor: user.identifier, subject: user.identifier, applicationId, ip: context.ip, details: { requestId: id } });
      return null;
    })
    // Two submissions at the same moment: the unique index on pending requests keeps one.
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) return 'already_pending' as const;
      throw error;
    });
  if (refused) throw new ConflictError(refused, refused === 'already_granted' ? 'access is already granted' : 'a request is already pending');
  return id;
}
