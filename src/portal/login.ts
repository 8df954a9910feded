import type { User } from '../storage/index.ts';
import { verifyPassword } from '../authentication/password.ts';
import { DatabaseLoginRegulator, type LoginRegulator } from '../regulation/lockout.ts';
import type { PortalDeps } from './deps.ts';

export type PortalLoginFailure = 'invalid_credentials' | 'account_locked' | 'account_deactivated' | 'provisional_expired';

export type PortalLoginResult = { ok: true; user: User } | { ok: false; reason: PortalLoginFailure; user: User | null };

/**
 * Identifier (case-insensitive) + password (case-sensitive), with the gateway's lockout rule:
 * the same counter, shared by both doors. Every outcome is audited as `portal.login`.
 */
export class PortalLogin {
  readonly #regulator: LoginRegulator;

  constructor(private readonly deps: PortalDeps) {
    this.#regulator = new DatabaseLoginRegulator(deps.storage, deps.clock, deps.config.lockout.maxFailures);
  }

  async login(identifierInput: string, password: string, ip: string | null): Promise<PortalLoginResult> {
    const { storage, auditor, clock } = this.deps;
    const identifier = identifierInput.trim().toLowerCase().slice(0, 200);
    const user = identifier ? await storage.users.findByIdentifier(identifier) : undefined;
    const audit = (outcome: 'success' | 'failure', reason: string | null, subject: string | null) =>
      auditor.record({ action: 'portal.login', outcome, reason, actor: subject, subject, ip });

    if (!user) {
      // Same argon2 work as a real account, so the answer takes the same time.
      await verifyPassword(undefined, password);
      await audit('failure', 'unknown_identifier', identifier.slice(0, 100) || null);
      return { ok: false, reason: 'invalid_credentials', user: null };
    }
    // Refused before the password is looked at: a locked account is no oracle for guesses.
    if (user.status === 'locked' || user.status === 'deactivated') {
      const reason = user.status === 'locked' ? 'account_locked' : 'account_deactivated';
      await audit('failure', reason, user.identifier);
      return { ok: false, reason, user };
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      const outcome = await this.#regulator.registerFailure(user);
      await audit('failure', 'wrong_password', user.identifier);
      if (outcome.locked) {
        await auditor.record({ action: 'user.lockout', outcome: 'info', reason: 'too_many_failures', subject: user.identifier, ip });
        return { ok: false, reason: 'account_locked', user };
      }
      return { ok: false, reason: 'invalid_credentials', user };
    }
    if (user.provisionalExpiresAt !== null && clock.now().getTime() >= user.provisionalExpiresAt) {
      await audit('failure', 'provisional_expired', user.identifier);
      return { ok: false, reason: 'provisional_expired', user };
    }
    await this.#regulator.registerSuccess(user, ip);
    await audit('success', null, user.identifier);
    return { ok: true, user };
  }
}
