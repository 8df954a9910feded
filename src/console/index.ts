/** The coordination console's own rules: the four-eyes rule, the TOTP second factor. */
export type { ConsoleActor } from './actor.ts';
export { CONSOLE_ACTIONS, actionSpec, isConsoleAction, type ActionParams, type ConsoleAction, type TargetKind } from './actions.ts';
export { performAction, confirmApproval, cancelApproval, getApproval, listApprovals, openApprovals, needsSecondApproval, type ActionOutcome, type ApprovalView } from './four-eyes.ts';
export { TotpService, resetTotp, totpKeyMaterial, RECOVERY_CODE_COUNT, type SecondFactorState, type VerifyOutcome } from './totp.ts';
