/**
 * The four-eyes rule on an establishment administrator's actions (issue 15 item 4): when the
 * configuration names the action (console.fourEyes.actions: establishment.person.deactivate,
 * establishment.person.reactivate, establishment.service.grant), an administrator's request is
 * stored as a pending approval (the console's table, one open approval per item) and runs only
 * when another administrator of the same establishment, or the cell, confirms it. The cell's
 * own actions stay direct. Request, confirmation and cancellation are audited under the
 * establishment's subject, so its audit page shows them.
 */
import { isUniqueViolation } from '../accounts/service.ts';
import { needsSecondApproval } from '../console/index.ts';
import { ESTABLISHMENT_FOUR_EYES_ACTIONS, type EstablishmentFourEyesAction } from '../config/schema.ts';
import type { ApprovalRecord } from '../model/console.ts';
import { deactivatePerson, reactivatePerson, type PeopleDeps } from '../people/index.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/errors.ts';
import { attempt, establishmentSubject } from './audit.ts';
import type { AdminScope, ServicesActor } from './deps.ts';
import { inScope, outOfScope, personInScope, serviceInScope } from './scope.ts';
import { grantToService } from './services.ts';

export type EstablishmentAction = EstablishmentFourEyesAction;
export type FourEyesDeps = PeopleDeps;
/** Who asks or confirms: the approval remembers the account, so the same person cannot do both. */
export type FourEyesActor = ServicesActor & { userId: string };

/** The item an action is about: a person, or an application for a service. */
export type ActionTarget = { personId: string } | { serviceId: string; applicationId: string };

interface Params {
  establishmentId: string;
  personId?: string;
  serviceId?: string;
  applicationId?: string;
}

export interface EstablishmentApproval {
  id: string;
  action: EstablishmentAction;
  summary: string;
  establishmentId: string;
  requestedBy: string;
  requestedByUserId: string;
  requestedAt: number;
}

export type AdminActionOutcome = { status: 'done' } | { status: 'pending_approval'; approvalId: string };

export function isEstablishmentAction(value: unknown): value is EstablishmentAction {
  return typeof value === 'string' && (ESTABLISHMENT_FOUR_EYES_ACTIONS as readonly string[]).includes(value);
}

/** Checks the action can be taken now, within `scope`; returns what the approval stores and shows. */
async function prepare(deps: FourEyesDeps, scope: AdminScope, action: EstablishmentAction, target: ActionTarget, actor: FourEyesActor): Promise<{ targetKind: string; targetId: string; summary: string; params: Params }> {
  if ('personId' in target) {
    const person = await personInScope(deps, scope, actor, target.personId);
    if (action === 'establishment.person.deactivate' && person.status === 'deactivated') throw new ConflictError('already_deactivated', `${person.identifier} is already deactivated`);
    if (action === 'establishment.person.deactivate' && person.id === actor.userId) throw new ConflictError('cannot_deactivate_self', 'an administrator cannot deactivate their own account');
    if (action === 'establishment.person.reactivate' && person.status !== 'deactivated') throw new ConflictError('not_deactivated', `${person.identifier} is not deactivated`);
    return {
      targetKind: 'person',
      targetId: person.id,
      summary: `${person.givenName} ${person.familyName} (${person.identifier})`,
      params: { establishmentId: person.establishmentId!, personId: person.id },
    };
  }
  const service = await serviceInScope(deps, scope, actor, target.serviceId);
  const appId = target.applicationId.slice(0, 100);
  const application = deps.config.applications.find((a) => a.id === appId);
  if (!application) throw new NotFoundError('application_not_found', `no application ${appId}`);
  if (!(await deps.storage.delegation.allowedApplications(service.establishmentId)).includes(appId)) {
    throw new ConflictError('application_not_allowed', `the cell does not let this establishment grant ${appId}`);
  }
  return {
    targetKind: 'service-grant',
    targetId: `${service.id}/${appId}`,
    summary: `${application.name} → ${service.name}`,
    params: { establishmentId: service.establishmentId, serviceId: service.id, applicationId: appId },
  };
}

async function run(deps: FourEyesDeps, scope: AdminScope, action: EstablishmentAction, params: Params, actor: FourEyesActor): Promise<void> {
  if (action === 'establishment.service.grant') {
    await grantToService(deps, scope, params.serviceId!, params.applicationId!, actor);
    return;
  }
  const person = await personInScope(deps, scope, actor, params.personId!);
  await (action === 'establishment.person.deactivate' ? deactivatePerson : reactivatePerson)(deps, person.id, actor);
}

function targetOf(params: Params): ActionTarget {
  return params.personId ? { personId: params.personId } : { serviceId: params.serviceId!, applicationId: params.applicationId! };
}

/**
 * An administrator's action: under the rule (and only for an establishment administrator) it
 * is recorded as a pending approval; otherwise it runs now. Either way, an item with an open
 * approval takes no other decision until that one is confirmed or cancelled.
 */
export async function administratorAction(deps: FourEyesDeps, scope: AdminScope, action: EstablishmentAction, target: ActionTarget, actor: FourEyesActor): Promise<AdminActionOutcome> {
  const subject = establishmentSubject(scope.kind === 'establishment' ? scope.establishmentIds[0]! : 'region');
  return attempt(deps, actor, { action: 'four-eyes.request', subject, details: { action } }, async () => {
    const prepared = await prepare(deps, scope, action, target, actor);
    const open = await deps.storage.consoleApprovals.findOpen(prepared.targetKind, prepared.targetId);
    if (open) throw new ConflictError('approval_pending', `a second approval is open on ${prepared.summary}: confirm or cancel it first`);
    if (scope.kind === 'region' || !needsSecondApproval(deps.config, action)) {
      await run(deps, scope, action, prepared.params, actor);
      return { status: 'done' as const };
    }
    const id = deps.random.uuid();
    try {
      await deps.storage.transaction(async (repos) => {
        await repos.consoleApprovals.insert({
          id,
          action,
          targetKind: prepared.targetKind,
          targetId: prepared.targetId,
          params: JSON.stringify(prepared.params),
          summary: prepared.summary,
          requestedBy: actor.name,
          requestedByUserId: actor.userId,
          requestedIp: actor.ip ?? null,
          requestedAt: deps.clock.now().getTime(),
        });
        await deps.auditor.with(repos.audit).record({
          action: 'four-eyes.request',
          outcome: 'success',
          actor: actor.name,
          ip: actor.ip ?? null,
          certificateSerial: actor.certificateSerial ?? null,
          subject: establishmentSubject(prepared.params.establishmentId),
          details: { approvalId: id, action, summary: prepared.summary, ...prepared.params },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('approval_pending', `a second approval is already open on ${prepared.summary}`);
      throw error;
    }
    return { status: 'pending_approval' as const, approvalId: id };
  });
}

function paramsOf(record: ApprovalRecord): Params | null {
  try {
    const params = JSON.parse(record.params) as Params;
    return typeof params.establishmentId === 'string' ? params : null;
  } catch {
    return null;
  }
}

function viewOf(record: ApprovalRecord, params: Params): EstablishmentApproval {
  return {
    id: record.id,
    action: record.action as EstablishmentAction,
    summary: record.summary,
    establishmentId: params.establishmentId,
    requestedBy: record.requestedBy,
    requestedByUserId: record.requestedByUserId,
    requestedAt: Number(record.requestedAt),
  };
}

/** The establishment's pending approvals, oldest first. */
export async function pendingApprovals(deps: Pick<FourEyesDeps, 'storage'>, establishmentId: string): Promise<EstablishmentApproval[]> {
  const rows = await deps.storage.consoleApprovals.list('pending');
  return rows.flatMap((r) => {
    const params = isEstablishmentAction(r.action) ? paramsOf(r) : null;
    return params && params.establishmentId === establishmentId ? [viewOf(r, params)] : [];
  });
}

/** The pending approval, if `scope` covers its establishment (else "not found", audited). */
async function approvalInScope(deps: FourEyesDeps, scope: AdminScope, actor: FourEyesActor, id: string): Promise<{ record: ApprovalRecord; params: Params }> {
  const record = await deps.storage.consoleApprovals.findById(id.slice(0, 100));
  const params = record && isEstablishmentAction(record.action) ? paramsOf(record) : null;
  if (!record || !params) throw new NotFoundError('not_found', `no approval ${id}`);
  if (!inScope(scope, params.establishmentId)) return outOfScope(deps, actor, 'approval', id);
  if (record.status !== 'pending') throw new ConflictError('approval_not_pending', `approval ${id} is ${record.status}`);
  return { record, params };
}

/**
 * Another administrator of the establishment, or the cell, confirms: the approval is claimed
 * (one confirmation wins), the action runs with the confirmer as its actor, and the approval
 * records how it went. Never the administrator who asked.
 */
export async function confirmAdministratorAction(deps: FourEyesDeps, scope: AdminScope, id: string, actor: FourEyesActor): Promise<void> {
  let subject = `approval:${id.slice(0, 100)}`;
  const { record, params } = await attempt(deps, actor, { action: 'four-eyes.confirm', subject, details: { approvalId: id.slice(0, 100) } }, async () => {
    const found = await approvalInScope(deps, scope, actor, id);
    subject = establishmentSubject(found.params.establishmentId);
    if (found.record.requestedByUserId === actor.userId) throw new ForbiddenError('four_eyes_same_administrator', 'another administrator, or the cell, must confirm this action');
    if (!(await deps.storage.consoleApprovals.decide(found.record.id, 'running', { name: actor.name, userId: actor.userId, ip: actor.ip ?? null }, deps.clock.now().getTime()))) {
      throw new ConflictError('approval_not_pending', `approval ${id} was decided meanwhile`);
    }
    return found;
  });
  const details = { approvalId: record.id, action: record.action, requestedBy: record.requestedBy, summary: record.summary };
  const audit = (outcome: 'success' | 'failure', reason: string | null) =>
    deps.auditor.record({ action: 'four-eyes.confirm', outcome, reason, actor: actor.name, ip: actor.ip ?? null, certificateSerial: actor.certificateSerial ?? null, subject, details });
  try {
    // The confirmer's own fence applies: the cell's region, or the same establishment.
    const action = record.action as EstablishmentAction;
    const prepared = await prepare(deps, scope, action, targetOf(params), actor);
    await run(deps, scope, action, prepared.params, actor);
    await deps.storage.consoleApprovals.finish(record.id, 'done', null);
    await audit('success', null);
  } catch (error) {
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'internal_error';
    await deps.storage.consoleApprovals.finish(record.id, 'failed', code);
    await audit('failure', code);
    throw error;
  }
}

/** Any administrator of the establishment (the one who asked included), or the cell, withdraws it. */
export async function cancelAdministratorAction(deps: FourEyesDeps, scope: AdminScope, id: string, actor: FourEyesActor): Promise<void> {
  await attempt(deps, actor, { action: 'four-eyes.cancel', subject: `approval:${id.slice(0, 100)}`, details: { approvalId: id.slice(0, 100) } }, async () => {
    const { record, params } = await approvalInScope(deps, scope, actor, id);
    await deps.storage.transaction(async (repos) => {
      if (!(await repos.consoleApprovals.decide(record.id, 'cancelled', { name: actor.name, userId: actor.userId, ip: actor.ip ?? null }, deps.clock.now().getTime()))) {
        throw new ConflictError('approval_not_pending', `approval ${id} was decided meanwhile`);
      }
      await deps.auditor.with(repos.audit).record({
        action: 'four-eyes.cancel',
        outcome: 'success',
        actor: actor.name,
        ip: actor.ip ?? null,
        certificateSerial: actor.certificateSerial ?? null,
        subject: establishmentSubject(params.establishmentId),
        details: { approvalId: record.id, action: record.action, requestedBy: record.requestedBy, summary: record.summary },
      });
    });
  });
}
