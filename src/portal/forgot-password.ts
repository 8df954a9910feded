import { hashPassword } from '../authentication/password.ts';
import { READABLE_ALPHABET } from '../shared/random.ts';
import { enqueueMail } from '../notification/outbox.ts';
import type { User } from '../storage/index.ts';
import type { PortalDeps, RequestContext } from './deps.ts';
import { FormCheck, type Outcome } from './fields.ts';

const PROVISIONAL_LENGTH = 14;

export interface ForgotPasswordForm {
  identifier?: unknown;
  email?: unknown;
}

/** Internal only (audit): the person sees the same answer whatever happened. */
export type ForgotPasswordOutcome = 'reset' | 'no_match' | 'account_locked' | 'account_deactivated';

function matches(user: User | undefined, email: string): user is User {
  return user !== undefined && user.email.trim().toLowerCase() === email.toLowerCase();
}

/**
 * Identifier + e-mail of an active or provisional account → a new provisional password by
 * mail, and the account back to "provisional" (the password must be changed at next login;
 * the gateway refuses it until then). A locked account is left alone: only the coordination
 * cell unlocks, and unlocking mails a fresh provisional password anyway. The argon2 hash is
 * computed in every branch so the answer takes about the same time.
 */
export async function forgotPassword(deps: PortalDeps, form: ForgotPasswordForm, context: RequestContext): Promise<Outcome<ForgotPasswordOutcome>> {
  const { storage, config, clock, random, auditor } = deps;
  const check = new FormCheck();
  const identifier = check.text('identifier', form.identifier, { required: true, max: 200 });
  const email = check.email('email', form.email);
  if (!check.ok) return { ok: false, errors: check.errors };

  const provisionalPassword = random.string(PROVISIONAL_LENGTH, READABLE_ALPHABET);
  const passwordHash = await hashPassword(provisionalPassword);
  const found = await storage.users.findByIdentifier(identifier!);
  const user = matches(found, email!) ? found : undefined;
  const outcome: ForgotPasswordOutcome = !user ? 'no_match' : user.status === 'locked' ? 'account_locked' : user.status === 'deactivated' ? 'account_deactivated' : 'reset';

  await storage.transaction(async (repos) => {
    const audit = auditor.with(repos.audit);
    const subject = user?.identifier ?? identifier!.toLowerCase().slice(0, 100);
    if (outcome !== 'reset' || !user) {
      await audit.record({ action: 'password.forgot', outcome: 'failure', reason: outcome, actor: subject, subject, ip: context.ip });
      return;
    }
    const now = clock.now().getTime();
    const expiresAt = now + config.accounts.provisionalPasswordDays * 86_400_000;
    await repos.users.setPassword(user.id, passwordHash, now, expiresAt);
    if (user.status === 'active') await repos.users.setStatus(user.id, 'provisional', now);
    await enqueueMail(repos, { clock, random }, {
      to: user.email,
      template: 'password.reset',
      lang: user.lang,
      data: { givenName: user.givenName, identifier: user.identifier, provisionalPassword, portalUrl: new URL('/connexion', config.publicUrl).toString(), expiresAt },
    });
    await audit.record({ action: 'password.forgot', outcome: 'success', actor: subject, subject, ip: context.ip, details: { expiresAt } });
  });
  return { ok: true, value: outcome };
}
