import { createHash } from 'node:crypto';
import { enqueueMail } from '../notification/outbox.ts';
import { renderMail } from '../notification/templates.ts';
import type { User } from '../model/index.ts';
import type { PortalDeps, RequestContext } from './deps.ts';
import { FormCheck, type Outcome } from './fields.ts';

/** A reset link works one hour, once. */
export const RESET_TTL_MS = 3_600_000;
/** Where the link leads (public listener, under the forgot-password path the portal session covers). */
export const RESET_PATH = '/mot-de-passe-oublie/choisir';
const TOKEN_BYTES = 32;
/** Spent and expired rows are deleted this long after expiry, when a new link is asked for. */
const PURGE_AFTER_MS = 7 * 86_400_000;

export interface ForgotPasswordForm {
  identifier?: unknown;
  email?: unknown;
}

/** Internal only (audit): the person sees the same answer whatever happened. */
export type ForgotPasswordOutcome = 'link_sent' | 'no_match' | 'account_locked' | 'account_deactivated';

/*
 * 256 random bits: nobody can guess one, so a fast hash (SHA-256) keeps the stored value useless
 * and still lets the row be found by it; argon2 is for secrets people choose.
 */
export function resetTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function resetUrl(publicUrl: string, token: string): string {
  return new URL(`${RESET_PATH}?${new URLSearchParams({ jeton: token }).toString()}`, publicUrl).toString();
}

function matches(user: User | undefined, email: string): user is User {
  return user !== undefined && user.email.trim().toLowerCase() === email.toLowerCase();
}

/**
 * Identifier + e-mail of an active or provisional account → a single-use link by mail. Nothing
 * else changes: the current password and the open sessions keep working until the link is used,
 * so knowing someone's identifier and address is no way to cut them off. A locked account gets
 * no link (only the coordination cell unlocks, and unlocking mails a provisional password).
 * The token is drawn and the mail rendered in every branch, so a match costs about the same.
 */
export async function forgotPassword(deps: PortalDeps, form: ForgotPasswordForm, context: RequestContext): Promise<Outcome<ForgotPasswordOutcome>> {
  const { storage, config, clock, random, auditor } = deps;
  const check = new FormCheck();
  const identifier = check.text('identifier', form.identifier, { required: true, max: 200 });
  const email = check.email('email', form.email);
  if (!check.ok) return { ok: false, errors: check.errors };

  const token = random.bytes(TOKEN_BYTES).toString('base64url');
  const tokenHash = resetTokenHash(token);
  const found = await storage.users.findByIdentifier(identifier!);
  const user = matches(found, email!) ? found : undefined;
  const outcome: ForgotPasswordOutcome = !user ? 'no_match' : user.status === 'locked' ? 'account_locked' : user.status === 'deactivated' ? 'account_deactivated' : 'link_sent';
  const now = clock.now().getTime();
  const expiresAt = now + RESET_TTL_MS;
  const mail = {
    to: user?.email ?? email!,
    template: 'password-reset.link' as const,
    lang: user?.lang ?? context.lang,
    data: { givenName: user?.givenName ?? '', identifier: user?.identifier ?? identifier!, resetUrl: resetUrl(config.publicUrl, token), expiresAt },
  };

  await storage.transaction(async (repos) => {
    const audit = auditor.with(repos.audit);
    const resets = repos.passwordResets;
    await resets.purgeExpired(now - PURGE_AFTER_MS);
    const subject = user?.identifier ?? identifier!.toLowerCase().slice(0, 100);
    if (outcome !== 'link_sent' || !user) {
      renderMail(mail.template, mail.lang, mail.data);
      await audit.record({ action: 'password.reset_requested', outcome: 'failure', reason: outcome, actor: subject, subject, ip: context.ip });
      return;
    }
    // One live link per account: the newest.
    const replaced = await resets.spendOthers(user.id, now);
    const id = random.uuid();
    await resets.insert({ id, tokenHash, userId: user.id, createdAt: now, expiresAt, createdIp: context.ip });
    await enqueueMail(repos, { clock, random }, mail);
    await audit.record({ action: 'password.reset_requested', outcome: 'success', actor: subject, subject, ip: context.ip, details: { resetId: id, expiresAt, replaced } });
  });
  return { ok: true, value: outcome };
}
