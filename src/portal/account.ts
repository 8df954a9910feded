import { createHash, timingSafeEqual } from 'node:crypto';
import type { EmailChange, User } from '../model/index.ts';
import { hashPassword, verifyPassword } from '../authentication/password.ts';
import { LoginPolicy } from '../regulation/login-policy.ts';
import { enqueueMail } from '../notification/outbox.ts';
import type { PortalDeps, RequestContext } from './deps.ts';
import { FormCheck, type Outcome } from './fields.ts';
import { checkNewPassword } from './password-policy.ts';

/** An e-mail change link works this long. */
export const EMAIL_CHANGE_TTL_MS = 24 * 3_600_000;

export interface PasswordChangeForm {
  current?: unknown;
  password?: unknown;
  confirmation?: unknown;
}

/**
 * Current password, then the new one under the policy. A wrong current password counts
 * towards the lockout like any other failure (a left-open session is no free guessing).
 */
export async function changePassword(deps: PortalDeps, user: User, form: PasswordChangeForm, context: RequestContext): Promise<Outcome<{ locked: boolean }>> {
  const { storage, config, clock, auditor } = deps;
  const check = new FormCheck();
  const current = typeof form.current === 'string' ? form.current : '';
  const password = typeof form.password === 'string' ? form.password : '';
  const confirmation = typeof form.confirmation === 'string' ? form.confirmation : '';
  if (!current) check.fail('current', 'required');
  if (!password) check.fail('password', 'required');
  if (!check.ok) return { ok: false, errors: check.errors };

  // The same reserved-attempt rule as the login forms: concurrent guesses get no more tries.
  const verdict = await new LoginPolicy(storage, clock, auditor, config.lockout.maxFailures).attempt(user, () => verifyPassword(user.passwordHash, current), { ip: context.ip });
  if (!verdict.ok) {
    await auditor.record({ action: 'account.password.change', outcome: 'failure', reason: verdict.reason, actor: user.identifier, subject: user.identifier, ip: context.ip });
    if (verdict.reason !== 'wrong_password' || verdict.locked) return { ok: true, value: { locked: true } };
    return { ok: false, errors: [{ field: 'current', code: 'wrong_current_password' }] };
  }
  for (const problem of await checkNewPassword(storage.users, user, password, confirmation, config.accounts.password)) {
    check.fail(problem === 'mismatch' ? 'confirmation' : 'password', `password_${problem}`);
  }
  if (!check.ok) return { ok: false, errors: check.errors };

  const passwordHash = await hashPassword(password);
  await storage.transaction(async (repos) => {
    await repos.users.setPassword(user.id, passwordHash, clock.now().getTime(), null);
    await auditor.with(repos.audit).record({ action: 'account.password.change', outcome: 'success', actor: user.identifier, subject: user.identifier, ip: context.ip });
  });
  return { ok: true, value: { locked: false } };
}

export async function setNotifications(deps: PortalDeps, user: User, optIn: boolean, context: RequestContext): Promise<void> {
  await deps.storage.transaction(async (repos) => {
    await repos.users.updateProfile(user.id, { notificationsOptIn: optIn }, deps.clock.now().getTime());
    await deps.auditor.with(repos.audit).record({ action: 'account.notifications', outcome: 'success', actor: user.identifier, subject: user.identifier, ip: context.ip, details: { optIn } });
  });
}

/*
 * E-mail change tokens are 256 random bits: nobody can guess one, so a fast hash (SHA-256)
 * is enough to keep the stored value useless; argon2 is for what people choose.
 */
function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A change waits for the new address to confirm (a link valid 24 h); the old address is told
 * at once, so a hijacked session cannot move the account's mail silently.
 */
export async function requestEmailChange(deps: PortalDeps, user: User, raw: unknown, context: RequestContext): Promise<Outcome<{ id: string }>> {
  const { storage, clock, random, auditor, config } = deps;
  const check = new FormCheck();
  const email = check.email('email', raw);
  if (email !== null && check.ok && email.toLowerCase() === user.email.toLowerCase()) check.fail('email', 'same_email');
  if (!check.ok) return { ok: false, errors: check.errors };
  const id = random.uuid();
  const token = random.bytes(32).toString('base64url');
  const now = clock.now().getTime();
  const expiresAt = now + EMAIL_CHANGE_TTL_MS;
  const confirmUrl = new URL(`/compte/email/confirmer?${new URLSearchParams({ id, token }).toString()}`, config.publicUrl).toString();
  await storage.transaction(async (repos) => {
    await repos.emailChanges.insert({ id, userId: user.id, newEmail: email!, tokenHash: tokenHash(token), expiresAt, createdAt: now });
    await enqueueMail(repos, { clock, random }, { to: email!, template: 'email-change.confirm', lang: user.lang, data: { givenName: user.givenName, confirmUrl, expiresAt } });
    await enqueueMail(repos, { clock, random }, { to: user.email, template: 'email-change.notice', lang: user.lang, data: { givenName: user.givenName, newEmail: email! } });
    await auditor.with(repos.audit).record({ action: 'account.email.request', outcome: 'success', actor: user.identifier, subject: user.identifier, ip: context.ip, details: { changeId: id } });
  });
  return { ok: true, value: { id } };
}

export type EmailChangeState = { ok: true; change: EmailChange; user: User; token: string } | { ok: false; reason: 'invalid' | 'expired' | 'used' };

/** Reads a confirmation link without spending it (the page asks for a click first). */
export async function inspectEmailChange(deps: PortalDeps, id: unknown, token: unknown): Promise<EmailChangeState> {
  if (typeof id !== 'string' || typeof token !== 'string' || id.length > 100 || token.length > 100) return { ok: false, reason: 'invalid' };
  const change = await deps.storage.emailChanges.findById(id);
  if (!change || !sameHash(change.tokenHash, tokenHash(token))) return { ok: false, reason: 'invalid' };
  if (change.confirmedAt !== null) return { ok: false, reason: 'used' };
  if (deps.clock.now().getTime() >= change.expiresAt) return { ok: false, reason: 'expired' };
  const user = await deps.storage.users.findById(change.userId);
  return user ? { ok: true, change, user, token } : { ok: false, reason: 'invalid' };
}

/** Spends the link (once, before expiry, atomically) and moves the account to the new address. */
export async function confirmEmailChange(deps: PortalDeps, id: unknown, token: unknown, context: RequestContext): Promise<EmailChangeState> {
  const state = await inspectEmailChange(deps, id, token);
  if (!state.ok) {
    await deps.auditor.record({ action: 'account.email.confirm', outcome: 'failure', reason: state.reason, ip: context.ip, details: { changeId: typeof id === 'string' ? id.slice(0, 100) : null } });
    return state;
  }
  const { change, user } = state;
  return deps.storage.transaction(async (repos) => {
    const now = deps.clock.now().getTime();
    if (!(await repos.emailChanges.confirm(change.id, now))) return { ok: false, reason: 'used' } as const;
    await repos.users.updateProfile(user.id, { email: change.newEmail }, now);
    await deps.auditor.with(repos.audit).record({ action: 'account.email.confirm', outcome: 'success', actor: user.identifier, subject: user.identifier, ip: context.ip, details: { changeId: change.id } });
    return { ok: true, change, user: { ...user, email: change.newEmail }, token: state.token } as const;
  });
}
