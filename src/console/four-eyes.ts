import type { ApprovalDeps } from '../approval/index.ts';
import { isUniqueViolation } from '../accounts/service.ts';
import type { Config } from '../config/index.ts';
import type { FourEyesAction } from '../config/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, PasserelleError } from '../shared/errors.ts';
import { actionParams, actionSpec, isConsoleAction, type ActionParams, type ConsoleAction, type TargetKind } from './actions.ts';
import type { ConsoleActor } from './actor.ts';
import type { ApprovalRecord, ApprovalStatus } from '../model/console.ts';
import type { ConsoleApprovalRepository } from '../storage/index.ts';

export type FourEyesDeps = ApprovalDeps;

export interface ApprovalView {
  id: string;
  action: ConsoleAction;
  targetKind: TargetKind;
  targetId: string;
  summary: string;
  reason: string | null;
  status: ApprovalStatus;
  requestedBy: string;
  requestedByUserId: string;
  requestedAt: number;
  decidedBy: string | null;
  decidedAt: number | null;
  error: string | null;
}

export type ActionOutcome = { status: 'done'; result: unknown } | { status: 'pending_approval'; approval: ApprovalView };

export function view(record: ApprovalRecord): ApprovalView {
  let params: ActionParams = {};
  try {
    params = JSON.parse(record.params) as ActionParams;
  } catch {
    // stored by us as JSON; an unreadable row shows without its reason
  }
  return {
    id: record.id,
    action: record.action as ConsoleAction,
    targetKind: record.targetKind as TargetKind,
    targetId: record.targetId,
    summary: record.summary,
    reason: typeof params.reason === 'string' ? params.reason : null,
    status: record.status,
    requestedBy: record.requestedBy,
    requestedByUserId: record.requestedByUserId,
    requestedAt: Number(record.requestedAt),
    decidedBy: record.decidedBy,
    decidedAt: record.decidedAt == null ? null : Number(record.decidedAt),
    error: record.error,
  };
}

/** Whether an action needs a second approval under the current configuration. */
export function needsSecondApproval(config: Config, action: FourEyesAction): boolean {
  return config.console.fourEyes.enabled && config.console.fourEyes.actions.includes(action);
}

/** For the direct routes (admin API, CLI): under the four-eyes rule they must go through a second coordinator. */
export function refuseIfSecondApprovalNeeded(config: Config, action: ConsoleAction): void {
  if (needsSecondApproval(config, action)) {
    throw new ConflictError('four_eyes_required', `${action} needs a second coordinator: use POST /api/v1/actions or the console`);
  }
}

async function auditFailure(deps: FourEyesDeps, action: string, actor: ConsoleActor, subject: string, error: unknown, details: Record<string, unknown>): Promise<void> {
  if (!(error instanceof PasserelleError) || !error.expose) return;
  await deps.auditor.record({ action, outcome: 'failure', reason: error.code, actor: actor.name, ip: actor.ip, certificateSerial: actor.certificateSerial, subject, details });
}

/**
 * A console decision. Under the four-eyes rule it only records a pending approval that a
 * second, different coordinator confirms (then it runs); otherwise it runs now. An item
 * with an approval still open takes no other decision until that one is confirmed or cancelled.
 */
export async function performAction(deps: FourEyesDeps, input: { action: ConsoleAction; targetId: string; params?: ActionParams }, actor: ConsoleActor): Promise<ActionOutcome> {
  const spec = actionSpec(input.action);
  const repo = deps.storage.consoleApprovals;
  const subject = `${spec.targetKind}:${input.targetId}`;
  if (!needsSecondApproval(deps.config, input.action)) {
    const open = await repo.findOpen(spec.targetKind, input.targetId);
    if (open) {
      const error = new ConflictError('approval_pending', `a second approval is open on ${subject}: confirm or cancel it first`);
      await auditFailure(deps, input.action, actor, subject, error, { approvalId: open.id });
      throw error;
    }
    return { status: 'done', result: await spec.run(deps, input.targetId, input.params ?? {}, actor) };
  }
  try {
    const params = actionParams(input.action, input.params ?? {});
    const summary = await spec.describe(deps, input.targetId);
    const id = deps.random.uuid();
    const now = deps.clock.now().getTime();
    await deps.storage.transaction(async (repos) => {
      await repos.consoleApprovals.insert({
        id,
        action: input.action,
        targetKind: spec.targetKind,
        targetId: input.targetId,
        params: JSON.stringify(params),
        summary,
        requestedBy: actor.name,
        requestedByUserId: actor.userId,
        requestedIp: actor.ip,
        requestedAt: now,
      });
      await deps.auditor.with(repos.audit).record({
        action: 'four-eyes.request',
        outcome: 'success',
        actor: actor.name,
        ip: actor.ip,
        certificateSerial: actor.certificateSerial,
        subject,
        details: { approvalId: id, action: input.action, ...params },
      });
    });
    return { status: 'pending_approval', approval: view((await repo.findById(id))!) };
  } catch (caught) {
    const error = isUniqueViolation(caught) ? new ConflictError('approval_pending', `a second approval is already open on ${subject}`) : caught;
    await auditFailure(deps, 'four-eyes.request', actor, subject, error, { action: input.action });
    throw error;
  }
}

async function requireApproval(repo: ConsoleApprovalRepository, id: string): Promise<ApprovalRecord> {
  const record = await repo.findById(id);
  if (!record || !isConsoleAction(record.action)) throw new NotFoundError('not_found', `no approval ${id}`);
  return record;
}

/**
 * The second coordinator confirms: the approval is claimed (one confirmation wins), then the
 * action runs with the confirmer as its actor, then the approval records how it went. Never the
 * coordinator who asked.
 */
export async function confirmApproval(deps: FourEyesDeps, id: string, actor: ConsoleActor): Promise<{ approval: ApprovalView; result: unknown }> {
  const repo = deps.storage.consoleApprovals;
  let record: ApprovalRecord | undefined;
  try {
    record = await requireApproval(repo, id);
    if (record.status !== 'pending') throw new ConflictError('approval_not_pending', `approval ${id} is ${record.status}`);
    if (record.requestedByUserId === actor.userId) throw new ForbiddenError('four_eyes_same_coordinator', 'a second, different coordinator must confirm this action');
    if (!(await repo.decide(id, 'running', { name: actor.name, userId: actor.userId, ip: actor.ip }, deps.clock.now().getTime()))) {
      throw new ConflictError('approval_not_pending', `approval ${id} was decided meanwhile`);
    }
  } catch (error) {
    await auditFailure(deps, 'four-eyes.confirm', actor, record ? `${record.targetKind}:${record.targetId}` : `approval:${id}`, error, { approvalId: id });
    throw error;
  }
  const action = record.action as ConsoleAction;
  const details = { approvalId: id, action, requestedBy: record.requestedBy };
  const subject = `${record.targetKind}:${record.targetId}`;
  try {
    const result = await actionSpec(action).run(deps, record.targetId, view(record).reason === null ? {} : { reason: view(record).reason! }, actor);
    await repo.finish(id, 'done', null);
    await deps.auditor.record({ action: 'four-eyes.confirm', outcome: 'success', actor: actor.name, ip: actor.ip, certificateSerial: actor.certificateSerial, subject, details });
    return { approval: view((await repo.findById(id))!), result };
  } catch (error) {
    const code = error instanceof PasserelleError ? error.code : 'internal_error';
    await repo.finish(id, 'failed', code);
    await deps.auditor.record({ action: 'four-eyes.confirm', outcome: 'failure', reason: code, actor: actor.name, ip: actor.ip, certificateSerial: actor.certificateSerial, subject, details });
    throw error;
  }
}

/** Any coordinator — the one who asked included — may withdraw a pending approval. */
export async function cancelApproval(deps: FourEyesDeps, id: string, actor: ConsoleActor): Promise<ApprovalView> {
  const repo = deps.storage.consoleApprovals;
  let record: ApprovalRecord | undefined;
  try {
    record = await requireApproval(repo, id);
    if (record.status !== 'pending') throw new ConflictError('approval_not_pending', `approval ${id} is ${record.status}`);
    const subject = `${record.targetKind}:${record.targetId}`;
    await deps.storage.transaction(async (repos) => {
      if (!(await repos.consoleApprovals.decide(id, 'cancelled', { name: actor.name, userId: actor.userId, ip: actor.ip }, deps.clock.now().getTime()))) {
        throw new ConflictError('approval_not_pending', `approval ${id} was decided meanwhile`);
      }
      await deps.auditor.with(repos.audit).record({
        action: 'four-eyes.cancel',
        outcome: 'success',
        actor: actor.name,
        ip: actor.ip,
        certificateSerial: actor.certificateSerial,
        subject,
        details: { approvalId: id, action: record!.action, requestedBy: record!.requestedBy },
      });
    });
    return view((await repo.findById(id))!);
  } catch (error) {
    await auditFailure(deps, 'four-eyes.cancel', actor, record ? `${record.targetKind}:${record.targetId}` : `approval:${id}`, error, { approvalId: id });
    throw error;
  }
}

export async function getApproval(deps: Pick<FourEyesDeps, 'storage'>, id: string): Promise<ApprovalView> {
  return view(await requireApproval(deps.storage.consoleApprovals, id));
}

export async function listApprovals(deps: Pick<FourEyesDeps, 'storage'>, status?: ApprovalStatus): Promise<ApprovalView[]> {
  return (await deps.storage.consoleApprovals.list(status)).filter((r) => isConsoleAction(r.action)).map(view);
}

/** Open approvals on these items, by item id (the queues show them). */
export async function openApprovals(deps: Pick<FourEyesDeps, 'storage'>, targetKind: TargetKind, targetIds: string[]): Promise<Map<string, ApprovalView>> {
  const rows = await deps.storage.consoleApprovals.openFor(targetKind, targetIds);
  return new Map(rows.map((r) => [r.targetId, view(r)]));
}
