import type { Storage } from '../storage/index.ts';
import type { User } from '../model/index.ts';
import type { Auditor } from '../audit/auditor.ts';
import type { LoginPolicy } from '../regulation/login-policy.ts';
import type { CertificateContext } from './certificate.ts';
import { accountDenial } from './certificate.ts';
import type { DenialReason } from './denials.ts';
import { auditedIdentifier } from './audited-identifier.ts';
import { verifyPassword } from './password.ts';

export interface LoginAttempt {
  certificate: CertificateContext;
  /** Typed by the person on a collective workstation; ignored for a personal certificate. */
  identifier: string | null;
  password: string;
  ip: string | null;
  applicationId: string;
}

export type LoginResult =
  | { ok: true; user: User }
  /** `remainingAttempts` only for a personal certificate: on a shared workstation a count would tell which identifiers exist. */
  | { ok: false; reason: 'invalid_credentials'; remainingAttempts: number | null }
  | { ok: false; reason: DenialReason; user: User };

export class GatewayAuthenticator {
  constructor(
    private readonly storage: Storage,
    private readonly policy: LoginPolicy,
    private readonly auditor: Auditor,
  ) {}

  /** Certificate + password. Every outcome is audited with its reason. */
  async login(attempt: LoginAttempt): Promise<LoginResult> {
    const { certificate } = attempt;
    const found = certificate.owner ?? (attempt.identifier ? await this.storage.users.findByIdentifier(attempt.identifier) : undefined);
    const audit = (outcome: 'success' | 'failure', reason: string | null, subject: string | null) =>
      this.auditor.record({
        action: 'gateway.login',
        outcome,
        reason,
        actor: subject,
        subject,
        ip: attempt.ip,
        certificateSerial: certificate.record.serial,
        applicationId: attempt.applicationId,
        details: { certificateKind: certificate.record.kind },
      });
    const invalid: LoginResult = { ok: false, reason: 'invalid_credentials', remainingAttempts: null };

    // A shared workstation opens only for people of its establishment. Anyone else is answered
    // exactly like an unknown identifier (same argon2 work, same page), before anything about
    // them is read further or recorded: no oracle, and their counter and last login stay put.
    const outsider = found !== undefined && certificate.establishment !== null && found.establishmentId !== certificate.establishment.id;
    if (!found || outsider) {
      await verifyPassword(undefined, attempt.password);
      await audit('failure', outsider ? 'not_member_of_establishment' : 'unknown_identifier', found?.identifier ?? auditedIdentifier(attempt.identifier));
      return invalid;
    }
    const user = found;
    // Locked and deactivated accounts are refused before the password is looked at.
    const before = accountDenial(user);
    if (before === 'account_locked' || before === 'account_deactivated') {
      await audit('failure', before, user.identifier);
      return { ok: false, reason: before, user };
    }
    const check = await this.policy.attempt(user, () => verifyPassword(user.passwordHash, attempt.password), {
      ip: attempt.ip,
      certificateSerial: certificate.record.serial,
      applicationId: attempt.applicationId,
    });
    if (!check.ok) {
      if (check.reason !== 'wrong_password') {
        await audit('failure', check.reason, user.identifier);
        return { ok: false, reason: check.reason, user };
      }
      await audit('failure', 'wrong_password', user.identifier);
      if (check.locked) return { ok: false, reason: 'account_locked', user };
      return certificate.establishment ? invalid : { ok: false, reason: 'invalid_credentials', remainingAttempts: check.remaining };
    }
    if (!(await this.policy.recordLogin(user, attempt.ip))) {
      await audit('failure', 'account_locked', user.identifier);
      return { ok: false, reason: 'account_locked', user };
    }
    if (before === 'account_provisional') {
      await audit('failure', before, user.identifier);
      return { ok: false, reason: before, user };
    }
    await audit('success', null, user.identifier);
    return { ok: true, user };
  }

  /**
   * A CPS card where the application allows it (`passwordlessCps`): card + PIN already are two
   * factors, so no password. The account must still be usable; audited like a password login.
   */
  async loginWithCard(attempt: Omit<LoginAttempt, 'identifier' | 'password'>): Promise<LoginResult> {
    const { certificate } = attempt;
    const user = certificate.owner;
    if (certificate.record.kind !== 'cps' || !user) throw new Error('loginWithCard needs a recognised CPS card');
    let denial = accountDenial(user);
    // Locked or deactivated since the certificate was read: refused, like a password login.
    if (!denial && !(await this.policy.recordLogin(user, attempt.ip))) denial = 'account_locked';
    await this.auditor.record({
      action: 'gateway.login',
      outcome: denial ? 'failure' : 'success',
      reason: denial,
      actor: user.identifier,
      subject: user.identifier,
      ip: attempt.ip,
      certificateSerial: certificate.record.serial,
      applicationId: attempt.applicationId,
      details: { certificateKind: 'cps', method: 'cps-card', nationalId: certificate.cps?.nationalId ?? null },
    });
    if (denial) return { ok: false, reason: denial, user };
    return { ok: true, user };
  }
}
