import {
  approveAccessRequest,
  approveCertificateRequest,
  approveRegistration,
  reissueWithdrawalCode,
  rejectAccessRequest,
  rejectCertificateRequest,
  rejectRegistration,
  type Actor,
  type ApprovalDeps,
} from '../approval/index.ts';
import { notFound, requirePending, requireReason } from '../approval/decision.ts';
import { holderOf } from '../approval/withdrawal-documents.ts';
import { CONSOLE_FOUR_EYES_ACTIONS, type ConsoleFourEyesAction } from '../config/schema.ts';
import { ConflictError } from '../shared/errors.ts';

/** The decisions the console takes on queue items; each can be put under the four-eyes rule. */
export type ConsoleAction = ConsoleFourEyesAction;
export const CONSOLE_ACTIONS: readonly ConsoleAction[] = CONSOLE_FOUR_EYES_ACTIONS;

export type TargetKind = 'registration' | 'certificate-request' | 'access-request';

export interface ActionParams {
  reason?: string;
}

interface ActionSpec {
  targetKind: TargetKind;
  needsReason: boolean;
  /** Checks the item can take the action now; returns what it is, for the second coordinator. */
  describe(deps: ApprovalDeps, targetId: string): Promise<string>;
  run(deps: ApprovalDeps, targetId: string, params: ActionParams, actor: Actor): Promise<unknown>;
}

async function registrationLabel(deps: ApprovalDeps, id: string): Promise<string> {
  const r = requirePending('registration', id, await deps.storage.registrations.findById(id));
  return `${r.givenName} ${r.familyName} <${r.email}>`;
}

async function certificateRequestLabel(deps: ApprovalDeps, id: string, expect: 'pending' | 'approved'): Promise<string> {
  const request = await deps.storage.certificateRequests.findById(id);
  if (expect === 'pending') requirePending('certificate request', id, request);
  else if (!request) throw notFound('certificate request', id);
  else if (request.status !== 'approved') throw new ConflictError('not_approved', `certificate request ${id} is ${request.status}: only an approved request gets a new code`);
  const holder = await holderOf(deps.storage, request!);
  return `${holder.name} — ${request!.label}`;
}

async function accessRequestLabel(deps: ApprovalDeps, id: string): Promise<string> {
  const request = requirePending('access request', id, await deps.storage.accessRequests.findById(id));
  const user = await deps.storage.users.findById(request.userId);
  const application = deps.config.applications.find((a) => a.id === request.applicationId)?.name ?? request.applicationId;
  return `${user ? `${user.givenName} ${user.familyName} (${user.identifier})` : request.userId} → ${application}`;
}

const SPECS: Record<ConsoleAction, ActionSpec> = {
  'registration.approve': {
    targetKind: 'registration',
    needsReason: false,
    describe: registrationLabel,
    run: (deps, id, _p, actor) => approveRegistration(deps, id, actor),
  },
  'registration.reject': {
    targetKind: 'registration',
    needsReason: true,
    describe: registrationLabel,
    run: (deps, id, p, actor) => rejectRegistration(deps, id, p.reason, actor),
  },
  'certificate-request.approve': {
    targetKind: 'certificate-request',
    needsReason: false,
    describe: (deps, id) => certificateRequestLabel(deps, id, 'pending'),
    run: (deps, id, _p, actor) => approveCertificateRequest(deps, id, actor),
  },
  'certificate-request.reject': {
    targetKind: 'certificate-request',
    needsReason: true,
    describe: (deps, id) => certificateRequestLabel(deps, id, 'pending'),
    run: (deps, id, p, actor) => rejectCertificateRequest(deps, id, p.reason, actor),
  },
  'certificate-request.new-code': {
    targetKind: 'certificate-request',
    needsReason: false,
    describe: (deps, id) => certificateRequestLabel(deps, id, 'approved'),
    run: (deps, id, _p, actor) => reissueWithdrawalCode(deps, id, actor),
  },
  'access-request.approve': {
    targetKind: 'access-request',
    needsReason: false,
    describe: accessRequestLabel,
    run: (deps, id, _p, actor) => approveAccessRequest(deps, id, actor),
  },
  'access-request.reject': {
    targetKind: 'access-request',
    needsReason: true,
    describe: accessRequestLabel,
    run: (deps, id, p, actor) => rejectAccessRequest(deps, id, p.reason, actor),
  },
};

export function actionSpec(action: ConsoleAction): ActionSpec {
  return SPECS[action];
}

export function isConsoleAction(value: unknown): value is ConsoleAction {
  return typeof value === 'string' && (CONSOLE_ACTIONS as readonly string[]).includes(value);
}

/** Only what an action uses goes into its parameters; a reason is checked before anything is stored. */
export function actionParams(action: ConsoleAction, params: ActionParams): ActionParams {
  return SPECS[action].needsReason ? { reason: requireReason(params.reason) } : {};
}
