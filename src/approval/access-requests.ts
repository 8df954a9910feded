import type { ApplicationConfig, Config } from '../config/index.ts';
import { enqueueMail } from '../notification/outbox.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { AccessRequest, User } from '../model/index.ts';
import { audited, decidedOnce, notFound, requirePending, requireReason } from './decision.ts';
import { iso } from '../shared/time.ts';
import { mailDeps, type Actor, type ApprovalDeps } from './deps.ts';

export interface AccessRequestView {
  id: string;
  status: AccessRequest['status'];
  applicationId: string;
  /** Null when the application is no longer configured. */
  applicationName: string | null;
  user: { id: string; identifier: string; givenName: string; familyName: string; email: string; status: User['status'] } | null;
  createdAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
}

/** Where a person reaches an application: its host on the gateway listener. */
export function applicationUrl(config: Config, application: ApplicationConfig): string {
  const port = config.listeners.gateway.port;
  return port === 443 ? `https://${application.host}/` : `https://${application.host}:${port}/`;
}

function view(r: AccessRequest, user: User | undefined, config: Config): AccessRequestView {
  return {
    id: r.id,
    status: r.status,
    applicationId: r.applicationId,
    applicationName: config.applications.find((a) => a.id === r.applicationId)?.name ?? null,
    user: user ? { id: user.id, identifier: user.identifier, givenName: user.givenName, familyName: user.familyName, email: user.email, status: user.status } : null,
    createdAt: iso(r.createdAt),
    decidedBy: r.decidedBy,
    decidedAt: iso(r.decidedAt),
    decisionReason: r.decisionReason,
  };
}

export async function listAccessRequests(deps: ApprovalDeps, status?: AccessRequest['status']): Promise<AccessRequestView[]> {
  const rows = await deps.storage.accessRequests.list(status ? { status } : {});
  const users = new Map<string, User | undefined>();
  for (const r of rows) if (!users.has(r.userId)) users.set(r.userId, await deps.storage.users.findById(r.userId));
  return rows.map((r) => view(r, users.get(r.userId), deps.config));
}

export async function getAccessRequest(deps: ApprovalDeps, id: string): Promise<AccessRequestView> {
  const row = await deps.storage.accessRequests.findById(id);
  if (!row) throw notFound('access request', id);
  return view(row, await deps.storage.users.findById(row.userId), deps.config);
}

function requireApplication(config: Config, applicationId: string): ApplicationConfig {
  const application = config.applications.find((a) => a.id === applicationId);
  if (!application) throw new NotFoundError('application_not_found', `application ${applicationId} is no longer configured`);
  return application;
}

/** pending → granted: the grant, the decision and the mail with the application's address, one transaction. */
export function approveAccessRequest(deps: ApprovalDeps, id: string, actor: Actor): Promise<{ id: string; status: 'granted'; userId: string; applicationId: string }> {
  return audited(deps, { action: 'access-request.approve', actor, subject: `access-request:${id}`, details: { accessRequestId: id } }, () =>
    deps.storage.transaction(async (repos) => {
      const request = requirePending('access request', id, await repos.accessRequests.findById(id));
      const application = requireApplication(deps.config, request.applicationId);
      const user = await repos.users.findById(request.userId);
      if (!user) throw new NotFoundError('user_not_found', `the account of access request ${id} no longer exists`);
      const now = deps.clock.now().getTime();
      decidedOnce(await repos.accessRequests.grant(id, actor.name, now), 'access request', id);
      await repos.grants.grant(user.id, application.id, now);
      await enqueueMail(repos, mailDeps(deps), {
        to: user.email,
        template: 'access.granted',
        lang: user.lang,
        data: { givenName: user.givenName, applicationName: application.name, applicationUrl: applicationUrl(deps.config, application) },
      });
      await deps.auditor.with(repos.audit).record({
        action: 'access-request.approve',
        outcome: 'success',
        actor: actor.name,
        ip: actor.ip ?? null,
        certificateSerial: actor.certificateSerial ?? null,
        subject: user.identifier,
        applicationId: application.id,
        details: { accessRequestId: id },
      });
      return { id, status: 'granted' as const, userId: user.id, applicationId: application.id };
    }),
  );
}

/** pending → rejected, and the reason goes to the person. */
export function rejectAccessRequest(deps: ApprovalDeps, id: string, reasonText: string | null | undefined, actor: Actor): Promise<{ id: string; status: 'rejected' }> {
  return audited(deps, { action: 'access-request.reject', actor, subject: `access-request:${id}`, details: { accessRequestId: id } }, async () => {
    const reason = requireReason(reasonText);
    return deps.storage.transaction(async (repos) => {
      const request = requirePending('access request', id, await repos.accessRequests.findById(id));
      const user = await repos.users.findById(request.userId);
      if (!user) throw new NotFoundError('user_not_found', `the account of access request ${id} no longer exists`);
      decidedOnce(await repos.accessRequests.reject(id, reason, actor.name, deps.clock.now().getTime()), 'access request', id);
      const applicationName = deps.config.applications.find((a) => a.id === request.applicationId)?.name ?? request.applicationId;
      await enqueueMail(repos, mailDeps(deps), { to: user.email, template: 'access.rejected', lang: user.lang, data: { givenName: user.givenName, applicationName, reason } });
      await deps.auditor.with(repos.audit).record({
        action: 'access-request.reject',
        outcome: 'success',
        actor: actor.name,
        ip: actor.ip ?? null,
        certificateSerial: actor.certificateSerial ?? null,
        subject: user.identifier,
        applicationId: request.applicationId,
        details: { accessRequestId: id, reason },
      });
      return { id, status: 'rejected' as const };
    });
  });
}
