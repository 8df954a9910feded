import { withdrawalIdentifier } from '../enrollment/withdrawal-codes.ts';
import { enqueueMail } from '../notification/outbox.ts';
import { requireText } from '../accounts/validation.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import type { CertificateRequest, Establishment, User, WithdrawalCode } from '../model/index.ts';
import { audited, decidedOnce, notFound, requirePending, requireReason } from './decision.ts';
import { iso } from '../shared/time.ts';
import { holderOf, queueWithdrawalDocuments, type Holder } from './withdrawal-documents.ts';
import { mailDeps, type Actor, type ApprovalDeps } from './deps.ts';

export interface CertificateRequestView {
  id: string;
  kind: CertificateRequest['kind'];
  status: CertificateRequest['status'];
  label: string;
  holder: { id: string; identifier: string; givenName: string; familyName: string; email: string; status: User['status'] } | null;
  establishment: { id: string; name: string; finess: string | null; referentEmail: string } | null;
  requestedBy: string;
  createdAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  certificateSerial: string | null;
  /** The latest withdrawal code's state — never the code. */
  withdrawal: { identifier: string; status: WithdrawalCode['status']; expiresAt: string | null; failedAttempts: number } | null;
}

function view(request: CertificateRequest, user: User | undefined, establishment: Establishment | undefined, code: WithdrawalCode | undefined, platformDomain: string): CertificateRequestView {
  return {
    id: request.id,
    kind: request.kind,
    status: request.status,
    label: request.label,
    holder: user ? { id: user.id, identifier: user.identifier, givenName: user.givenName, familyName: user.familyName, email: user.email, status: user.status } : null,
    establishment: establishment ? { id: establishment.id, name: establishment.name, finess: establishment.finess, referentEmail: establishment.referentEmail } : null,
    requestedBy: request.requestedBy,
    createdAt: iso(request.createdAt),
    decidedBy: request.decidedBy,
    decidedAt: iso(request.decidedAt),
    decisionReason: request.decisionReason,
    certificateSerial: request.certificateSerial,
    withdrawal: code
      ? { identifier: withdrawalIdentifier(request, user ? { identifier: user.identifier } : null, platformDomain), status: code.status, expiresAt: iso(code.expiresAt), failedAttempts: Number(code.failedAttempts) }
      : null,
  };
}

async function views(deps: ApprovalDeps, requests: CertificateRequest[]): Promise<CertificateRequestView[]> {
  const { storage } = deps;
  const users = new Map<string, User | undefined>();
  const establishments = new Map<string, Establishment | undefined>();
  for (const r of requests) {
    if (r.userId && !users.has(r.userId)) users.set(r.userId, await storage.users.findById(r.userId));
    const establishmentId = r.establishmentId ?? null;
    if (establishmentId && !establishments.has(establishmentId)) establishments.set(establishmentId, await storage.establishments.findById(establishmentId));
  }
  // The current code is the one a new code did not supersede (two issued in the same millisecond
  // have no order by time); a request whose codes are all superseded shows the newest.
  const latest = new Map<string, WithdrawalCode>();
  for (const code of await storage.withdrawalCodes.listForRequestIds(requests.map((r) => r.id))) {
    const seen = latest.get(code.requestId);
    if (!seen || (seen.status === 'superseded' && code.status !== 'superseded')) latest.set(code.requestId, code);
  }
  return requests.map((r) => view(r, r.userId ? users.get(r.userId) : undefined, r.establishmentId ? establishments.get(r.establishmentId) : undefined, latest.get(r.id), deps.config.platformDomain));
}

export async function listCertificateRequests(deps: ApprovalDeps, status?: CertificateRequest['status']): Promise<CertificateRequestView[]> {
  return views(deps, await deps.storage.certificateRequests.list(status ? { status } : {}));
}

export async function getCertificateRequest(deps: ApprovalDeps, id: string): Promise<CertificateRequestView> {
  const request = await deps.storage.certificateRequests.findById(id);
  if (!request) throw notFound('certificate request', id);
  return (await views(deps, [request]))[0]!;
}

export interface ApprovedCertificateRequest {
  id: string;
  kind: CertificateRequest['kind'];
  status: 'approved';
  withdrawalIdentifier: string;
  /** When the withdrawal code stops working (ISO 8601). */
  codeExpiresAt: string;
  /** Where the two mails went (the person, or the establishment's referent). */
  mailedTo: string;
}

function refuseInactiveHolder(holder: Holder): void {
  if (holder.user?.status === 'deactivated') throw new ConflictError('account_deactivated', `${holder.user.identifier} is deactivated: reactivate the account first`);
}

/** pending → approved: a withdrawal code and its two mails (PDF, then its password), one transaction. */
export function approveCertificateRequest(deps: ApprovalDeps, id: string, actor: Actor): Promise<ApprovedCertificateRequest> {
  return audited(deps, { action: 'certificate-request.approve', actor, subject: `certificate-request:${id}`, details: { requestId: id } }, () =>
    deps.storage.transaction(async (repos) => {
      const request = requirePending('certificate request', id, await repos.certificateRequests.findById(id));
      const holder = await holderOf(repos, request);
      refuseInactiveHolder(holder);
      decidedOnce(await repos.certificateRequests.approve(id, actor.name, deps.clock.now().getTime()), 'certificate request', id);
      const documents = await queueWithdrawalDocuments(repos, deps, request, holder);
      await deps.auditor.with(repos.audit).record({
        action: 'certificate-request.approve',
        outcome: 'success',
        actor: actor.name,
        ip: actor.ip ?? null,
        certificateSerial: actor.certificateSerial ?? null,
        subject: holder.subject,
        details: { requestId: id, kind: request.kind, label: request.label, withdrawalIdentifier: documents.withdrawalIdentifier, codeExpiresAt: iso(documents.expiresAt), mailedTo: documents.mailedTo },
      });
      return { id, kind: request.kind, status: 'approved' as const, withdrawalIdentifier: documents.withdrawalIdentifier, codeExpiresAt: iso(documents.expiresAt)!, mailedTo: documents.mailedTo };
    }),
  );
}

/**
 * A new code for an approved request not yet withdrawn (lost mail, expired or locked code):
 * the earlier codes are superseded and the two mails go out again.
 */
export function reissueWithdrawalCode(deps: ApprovalDeps, id: string, actor: Actor): Promise<ApprovedCertificateRequest> {
  return audited(deps, { action: 'certificate-request.new-code', actor, subject: `certificate-request:${id}`, details: { requestId: id } }, () =>
    deps.storage.transaction(async (repos) => {
      const request = await repos.certificateRequests.findById(id);
      if (!request) throw notFound('certificate request', id);
      if (request.status === 'withdrawn') throw new ConflictError('already_withdrawn', `the certificate of request ${id} was already withdrawn`);
      if (request.status !== 'approved') throw new ConflictError('not_approved', `certificate request ${id} is ${request.status}: only an approved request gets a new code`);
      const holder = await holderOf(repos, request);
      refuseInactiveHolder(holder);
      const documents = await queueWithdrawalDocuments(repos, deps, request, holder);
      await deps.auditor.with(repos.audit).record({
        action: 'certificate-request.new-code',
        outcome: 'success',
        actor: actor.name,
        ip: actor.ip ?? null,
        certificateSerial: actor.certificateSerial ?? null,
        subject: holder.subject,
        details: { requestId: id, kind: request.kind, label: request.label, withdrawalIdentifier: documents.withdrawalIdentifier, codeExpiresAt: iso(documents.expiresAt), mailedTo: documents.mailedTo },
      });
      return { id, kind: request.kind, status: 'approved' as const, withdrawalIdentifier: documents.withdrawalIdentifier, codeExpiresAt: iso(documents.expiresAt)!, mailedTo: documents.mailedTo };
    }),
  );
}

/** pending → rejected, and the reason goes to the holder (or the establishment's referent). */
export function rejectCertificateRequest(deps: ApprovalDeps, id: string, reasonText: string | null | undefined, actor: Actor): Promise<{ id: string; status: 'rejected' }> {
  return audited(deps, { action: 'certificate-request.reject', actor, subject: `certificate-request:${id}`, details: { requestId: id } }, async () => {
    const reason = requireReason(reasonText);
    return deps.storage.transaction(async (repos) => {
      const request = requirePending('certificate request', id, await repos.certificateRequests.findById(id));
      const holder = await holderOf(repos, request);
      decidedOnce(await repos.certificateRequests.reject(id, reason, actor.name, deps.clock.now().getTime()), 'certificate request', id);
      await enqueueMail(repos, mailDeps(deps), { to: holder.email, template: 'certificate-request.rejected', lang: holder.lang, data: { holderName: holder.name, label: request.label, reason } });
      await deps.auditor.with(repos.audit).record({
        action: 'certificate-request.reject',
        outcome: 'success',
        actor: actor.name,
        ip: actor.ip ?? null,
        certificateSerial: actor.certificateSerial ?? null,
        subject: holder.subject,
        details: { requestId: id, kind: request.kind, label: request.label, reason },
      });
      return { id, status: 'rejected' as const };
    });
  });
}

export interface CreatedCollectiveRequest {
  id: string;
  kind: 'collective';
  status: 'pending' | 'approved';
  establishmentId: string;
  label: string;
  approval: ApprovedCertificateRequest | null;
}

/**
 * The cell asks for a collective certificate for an establishment's shared workstation. With
 * `approve`, it is then approved through the same path as any request (its own transaction:
 * if that fails, the request stays pending and can be approved again).
 */
export async function createCollectiveRequest(deps: ApprovalDeps, input: { establishmentId: string; label: string; approve?: boolean }, actor: Actor): Promise<CreatedCollectiveRequest> {
  const created = await audited(deps, { action: 'certificate-request.create', actor, subject: `establishment:${input.establishmentId}`, details: { kind: 'collective' } }, async () => {
    const label = requireText(input.label, 'label', 100);
    const id = deps.random.uuid();
    return deps.storage.transaction(async (repos) => {
      const establishment = (await repos.establishments.findById(input.establishmentId)) ?? (await repos.establishments.findByFiness(input.establishmentId.trim().toUpperCase()));
      if (!establishment) throw new NotFoundError('establishment_not_found', `no establishment ${input.establishmentId}`);
      await repos.certificateRequests.insert({ id, kind: 'collective', userId: null, establishmentId: establishment.id, label, requestedBy: actor.name, createdAt: deps.clock.now().getTime() });
      await deps.auditor.with(repos.audit).record({
        action: 'certificate-request.create',
        outcome: 'success',
        actor: actor.name,
        ip: actor.ip ?? null,
        certificateSerial: actor.certificateSerial ?? null,
        subject: `establishment:${establishment.id}`,
        details: { requestId: id, kind: 'collective', label },
      });
      return { id, kind: 'collective' as const, establishmentId: establishment.id, label };
    });
  });
  if (!input.approve) return { ...created, status: 'pending', approval: null };
  const approval = await approveCertificateRequest(deps, created.id, actor);
  return { ...created, status: 'approved', approval };
}
