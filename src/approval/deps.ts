import type { Runtime } from '../core/runtime.ts';
import type { Actor } from '../accounts/service.ts';

/** What the approval operations use of the runtime (a test can hand over the whole runtime). */
export type ApprovalDeps = Pick<Runtime, 'config' | 'clock' | 'random' | 'storage' | 'auditor' | 'accounts'>;

export type { Actor };

/** The mail dependencies of `enqueueMail`. */
export function mailDeps(deps: ApprovalDeps): { clock: ApprovalDeps['clock']; random: ApprovalDeps['random'] } {
  return { clock: deps.clock, random: deps.random };
}
