import type { User } from '../model/index.ts';
import { ConflictError } from '../shared/errors.ts';
import { hashPassword } from '../authentication/password.ts';
import type { PortalDeps, RequestContext } from './deps.ts';
import { FormCheck, type Outcome } from './fields.ts';
import { checkNewPassword } from './password-policy.ts';

export interface ActivationForm {
  password?: unknown;
  confirmation?: unknown;
  givenName?: unknown;
  familyName?: unknown;
  profession?: unknown;
  rpps?: unknown;
  acceptTerms?: unknown;
}

/** Someone who was active before (terms accepted) and got a provisional password again: unlock or reset. */
export function isReturning(user: User): boolean {
  return user.termsAcceptedAt !== null;
}

/**
 * First login: the provisional password is replaced, the personal details confirmed and the
 * terms accepted — together, in one transaction — and the account becomes active.
 * A returning person (after an unlock or a reset) only chooses a new password: details and the
 * terms they accepted stay as they were.
 */
export async function activateAccount(deps: PortalDeps, user: User, form: ActivationForm, context: RequestContext): Promise<Outcome<User>> {
  const { storage, config, clock, auditor } = deps;
  const check = new FormCheck();
  const returning = isReturning(user);
  const givenName = returning ? user.givenName : check.text('givenName', form.givenName, { required: true, max: 100 });
  const familyName = returning ? user.familyName : check.text('familyName', form.familyName, { required: true, max: 100 });
  const profession = returning ? user.profession : check.text('profession', form.profession, { max: 100 });
  const rpps = returning ? user.rpps : check.rpps('rpps', form.rpps);
  if (!returning && form.acceptTerms !== 'yes') check.fail('acceptTerms', 'terms_required');
  const password = typeof form.password === 'string' ? form.password : '';
  const confirmation = typeof form.confirmation === 'string' ? form.confirmation : '';
  if (!password) check.fail('password', 'required');
  else {
    for (const problem of await checkNewPassword(storage.users, user, password, confirmation, config.accounts.password)) {
      check.fail(problem === 'mismatch' ? 'confirmation' : 'password', `password_${problem}`);
    }
  }
  if (!check.ok) return { ok: false, errors: check.errors };

  const passwordHash = await hashPassword(password);
  await storage.transaction(async (repos) => {
    const now = clock.now().getTime();
    await repos.users.setPassword(user.id, passwordHash, now, null);
    const activated = await repos.users.activate(user.id, { givenName: givenName!, familyName: familyName!, profession, rpps }, now);
    if (!activated) throw new ConflictError('not_provisional', 'this account is not waiting for its first login');
    await auditor.with(repos.audit).record({ action: 'account.activate', outcome: 'success', actor: user.identifier, subject: user.identifier, ip: context.ip, details: returning ? { returning: true } : { termsAccepted: true } });
  });
  return { ok: true, value: (await storage.users.findById(user.id))! };
}
