import type { User } from '../model/index.ts';
import { auditedIdentifier } from '../authentication/audited-identifier.ts';
import { verifyPassword } from '../authentication/password.ts';
import { LoginPolicy } from '../regulation/login-policy.ts';
import { legacyPortalLogin, type LegacyPortalResult } from '../legacy/index.ts';
import type { PortalDeps } from './deps.ts';

export type PortalLoginFailure = 'invalid_credentials' | 'account_locked' | 'account_deactivated' | 'provisional_expired' | 'legacy_cut_over' | 'legacy_locked' | 'legacy_unavailable';

/** Set when a legacy identifier opened the portal (migration period), or was refused after cut-over. */
export interface LegacyLogin {
  applicationId: string;
  applicationName: string;
  legacyUsername: string;
}

export type PortalLoginResult =
  | { ok: true; user: User; legacy?: LegacyLogin }
  | { ok: false; reason: PortalLoginFailure; user: User | null; legacy?: LegacyLogin };

/**
 * Identifier (case-insensitive) + password (case-sensitive), with the gateway's lockout rule:
 * the same counter, shared by both doors. Every outcome is audited as `portal.login`.
 */
export class PortalLogin {
  readonly #policy: LoginPolicy;

  constructor(private readonly deps: PortalDeps) {
    this.#policy = new LoginPolicy(deps.storage, deps.clock, deps.auditor, deps.config.lockout.maxFailures);
  }

  async login(identifierInput: string, password: string, ip: string | null): Promise<PortalLoginResult> {
    const { storage, auditor, clock } = this.deps;
    const identifier = identifierInput.trim().toLowerCase().slice(0, 200);
    const user = identifier ? await storage.users.findByIdentifier(identifier) : undefined;
    const audit = (outcome: 'success' | 'failure', reason: string | null, subject: string | null) =>
      auditor.record({ action: 'portal.login', outcome, reason, actor: subject, subject, ip });

    if (!user) {
      // Until cut-over, a mapped legacy identifier and its password also open the portal (src/legacy/portal.ts).
      const legacy = await legacyPortalLogin(this.deps, identifierInput, password, ip);
      if (legacy) return this.#legacyOutcome(legacy, ip);
      // Same argon2 work as a real account, so the answer takes the same time.
      await verifyPassword(undefined, password);
      await audit('failure', 'unknown_identifier', auditedIdentifier(identifier));
      return { ok: false, reason: 'invalid_credentials', user: null };
    }
    // Refused before the password is looked at: a locked account is no oracle for guesses.
    if (user.status === 'locked' || user.status === 'deactivated') {
      const reason = user.status === 'locked' ? 'account_locked' : 'account_deactivated';
      await audit('failure', reason, user.identifier);
      return { ok: false, reason, user };
    }
    const check = await this.#policy.attempt(user, () => verifyPassword(user.passwordHash, password), { ip });
    if (!check.ok) {
      const reason = check.reason === 'wrong_password' ? (check.locked ? 'account_locked' : 'invalid_credentials') : check.reason;
      await audit('failure', check.reason, user.identifier);
      return { ok: false, reason, user };
    }
    if (user.provisionalExpiresAt !== null && clock.now().getTime() >= user.provisionalExpiresAt) {
      await audit('failure', 'provisional_expired', user.identifier);
      return { ok: false, reason: 'provisional_expired', user };
    }
    return this.#signedIn(user, ip, (outcome, reason) => audit(outcome, reason, user.identifier));
  }

  /** Last login recorded, unless the account was locked or deactivated meanwhile (then refused). */
  async #signedIn(user: User, ip: string | null, audit: (outcome: 'success' | 'failure', reason: string | null) => Promise<void>, legacy?: LegacyLogin): Promise<PortalLoginResult> {
    if (!(await this.#policy.recordLogin(user, ip))) {
      await audit('failure', 'account_locked');
      return { ok: false, reason: 'account_locked', user };
    }
    await audit('success', null);
    return { ok: true, user, ...(legacy ? { legacy } : {}) };
  }

  /** The mapped person's account rules apply as for their own identifier; audited as `portal.login` with the legacy details. */
  async #legacyOutcome(result: LegacyPortalResult, ip: string | null): Promise<PortalLoginResult> {
    const { auditor, clock } = this.deps;
    const subject = 'user' in result ? result.user.identifier : null;
    const legacy = 'application' in result ? { applicationId: result.application.id, applicationName: result.application.name, legacyUsername: 'mapping' in result ? result.mapping.legacyUsername : '' } : undefined;
    const audit = (outcome: 'success' | 'failure', reason: string | null) =>
      auditor.record({ action: 'portal.login', outcome, reason, actor: subject, subject, ip, applicationId: legacy?.applicationId ?? null, details: { via: 'legacy', ...(legacy?.legacyUsername ? { legacyUsername: legacy.legacyUsername } : {}) } });
    if (!result.ok) {
      await audit('failure', result.reason);
      return { ok: false, reason: result.reason, user: 'user' in result ? result.user : null, ...(legacy ? { legacy } : {}) };
    }
    const { user } = result;
    if (user.status === 'locked' || user.status === 'deactivated') {
      const reason = user.status === 'locked' ? 'account_locked' : 'account_deactivated';
      await audit('failure', reason);
      return { ok: false, reason, user };
    }
    if (user.provisionalExpiresAt !== null && clock.now().getTime() >= user.provisionalExpiresAt) {
      await audit('failure', 'provisional_expired');
      return { ok: false, reason: 'provisional_expired', user };
    }
    return this.#signedIn(user, ip, audit, legacy);
  }
}
