import { hashPassword } from '../authentication/password.ts';
import { enqueueMail } from '../notification/outbox.ts';
import type { User } from '../model/index.ts';
import type { PasswordReset } from '../model/index.ts';
import type { PortalDeps, RequestContext } from './deps.ts';
import type { FieldError } from './fields.ts';
import { FormCheck } from './fields.ts';
import { resetTokenHash } from './forgot-password.ts';
import { checkNewPassword } from './password-policy.ts';

/** 32 bytes in base64url, no padding. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/**
 * Why a link does not lead to a new password; each is a page with `data-error-code`
 * `reset_<reason>`. A locked or deactivated account is not reopened by a link: the
 * coordination cell unlocks (and mails a provisional password), or reactivates.
 */
export type ResetLinkProblem = 'invalid' | 'used' | 'expired' | 'account_unavailable';

/** `subject`: whose link it was, when known (for the audit trail). */
export type ResetLinkState = { ok: true; reset: PasswordReset; user: User; token: string } | { ok: false; reason: ResetLinkProblem; subject?: string };

export interface ResetForm {
  token?: unknown;
  password?: unknown;
  confirmation?: unknown;
}

export type ResetOutcome =
  | { ok: true; user: User }
  | { ok: false; reason: ResetLinkProblem }
  /** The new password does not pass the policy: the link is not spent, the form is shown again. */
  | { ok: false; reason: 'form'; errors: FieldError[]; token: string; identifier: string };

function unusable(user: User): boolean {
  return user.status === 'locked' || user.status === 'deactivated';
}

/** Reads a link without spending it (mail scanners open links: the page asks for the password first). */
export async function inspectResetLink(deps: PortalDeps, token: unknown): Promise<ResetLinkState> {
  if (typeof token !== 'string' || !TOKEN_FORMAT.test(token)) return { ok: false, reason: 'invalid' };
  const reset = await deps.storage.passwordResets.findByHash(resetTokenHash(token));
  if (!reset) return { ok: false, reason: 'invalid' };
  const user = await deps.storage.users.findById(reset.userId);
  if (!user) return { ok: false, reason: 'invalid' };
  const subject = user.identifier;
  if (reset.usedAt !== null) return { ok: false, reason: 'used', subject };
  if (deps.clock.now().getTime() >= reset.expiresAt) return { ok: false, reason: 'expired', subject };
  if (unusable(user)) return { ok: false, reason: 'account_unavailable', subject };
  return { ok: true, reset, user, token };
}

/**
 * The new password, under the same policy as every other change (history included). The link
 * is spent by one compare-and-swap in the transaction that sets the password, so two tabs or
 * two replicas cannot both use it. The account keeps its status: an active account stays
 * active; a provisional one still goes through its first login (with a fresh provisional
 * period, as a password the cell mails would give). The other links of the account die with it.
 */
export async function resetPassword(deps: PortalDeps, form: ResetForm, context: RequestContext): Promise<ResetOutcome> {
  const { storage, config, clock, random, auditor } = deps;
  const state = await inspectResetLink(deps, form.token);
  const refuse = async (reason: ResetLinkProblem, subject: string | null): Promise<ResetOutcome> => {
    await auditor.record({ action: 'password.reset', outcome: 'failure', reason: `link_${reason}`, actor: subject, subject, ip: context.ip });
    return { ok: false, reason };
  };
  if (!state.ok) return refuse(state.reason, state.subject ?? null);
  const { user, token } = state;

  const check = new FormCheck();
  const password = typeof form.password === 'string' ? form.password : '';
  const confirmation = typeof form.confirmation === 'string' ? form.confirmation : '';
  if (!password) check.fail('password', 'required');
  else {
    for (const problem of await checkNewPassword(storage.users, user, password, confirmation, config.accounts.password)) {
      check.fail(problem === 'mismatch' ? 'confirmation' : 'password', `password_${problem}`);
    }
  }
  if (!check.ok) return { ok: false, reason: 'form', errors: check.errors, token, identifier: user.identifier };

  const passwordHash = await hashPassword(password);
  const result = await storage.transaction(async (repos): Promise<ResetOutcome | ResetLinkProblem> => {
    const now = clock.now().getTime();
    const current = await repos.users.findById(user.id);
    if (!current || unusable(current)) return 'account_unavailable';
    const resets = repos.passwordResets;
    const spent = await resets.spend(resetTokenHash(token), now);
    if (!spent) return now >= state.reset.expiresAt ? 'expired' : 'used';
    const provisionalExpiresAt = current.status === 'provisional' ? now + config.accounts.provisionalPasswordDays * 86_400_000 : null;
    await repos.users.setPassword(current.id, passwordHash, now, provisionalExpiresAt);
    await resets.spendOthers(current.id, now);
    await enqueueMail(repos, { clock, random }, {
      to: current.email,
      template: 'password-reset.done',
      lang: current.lang,
      data: { givenName: current.givenName, identifier: current.identifier, portalUrl: new URL('/connexion', config.publicUrl).toString(), changedAt: now },
    });
    await auditor.with(repos.audit).record({ action: 'password.reset', outcome: 'success', actor: current.identifier, subject: current.identifier, ip: context.ip, details: { resetId: spent.id } });
    return { ok: true, user: current };
  });
  if (typeof result === 'string') return refuse(result, user.identifier);
  return result;
}
