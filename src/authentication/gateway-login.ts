import type { Storage, User } from '../storage/index.ts';
import type { Auditor } from '../audit/auditor.ts';
import type { LoginRegulator } from '../regulation/lockout.ts';
import type { CertificateContext } from './certificate.ts';
import { accountDenial } from './certificate.ts';
import type { DenialReason } from './denials.ts';
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
  | { ok: false; reason: 'invalid_credentials'; remainingAttempts: number | null }
  | { ok: false; reason: DenialReason; user: User };

export class GatewayAuthenticator {
  constructor(
    private readonly storage: Storage,
    private readonly regulator: LoginRegulator,
    private readonly auditor: Auditor,
  ) {}

  /** Certificate + password. Every outcome is audited with its reason. */
  async login(attempt: LoginAttempt): Promise<LoginResult> {
    const { certificate } = attempt;
    const user = certificate.owner ?? (attempt.identifier ? await this.storage.users.findByIdentifier(attempt.identifier) : undefined);
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

    if (!user) {
      await verifyPassword(undefined, attempt.password);
      await audit('failure', 'unknown_identifier', attempt.identifier?.slice(0, 100) ?? null);
      return { ok: false, reason: 'invalid_credentials', remainingAttempts: null };
    }
    // Locked and deactivated accounts are refused before the password is looked at.
    const before = accountDenial(user);
    if (before === 'account_locked' || before === 'account_deactivated') {
      await audit('failure', before, user.identifier);
      return { ok: false, reason: before, user };
    }
    if (!(await verifyPassword(user.passwordHash, attempt.password))) {
      const outcome = await this.regulator.registerFailure(user);
      await audit('failure', 'wrong_password', user.identifier);
      if (outcome.locked) {
        await this.auditor.record({ action: 'user.lockout', outcome: 'info', reason: 'too_many_failures', subject: user.identifier, ip: attempt.ip, certificateSerial: certificate.record.serial, applicationId: attempt.applicationId });
        return { ok: false, reason: 'account_locked', user };
      }
      return { ok: false, reason: 'invalid_credentials', remainingAttempts: outcome.remaining };
    }
    await this.regulator.registerSuccess(user, attempt.ip);
    // A shared workstation opens only for people of its establishment.
    if (certificate.establishment && user.establishmentId !== certificate.establishment.id) {
      await audit('failure', 'not_member_of_establishment', user.identifier);
      return { ok: false, reason: 'not_member_of_establishment', user };
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
    const denial = accountDenial(user);
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
    await this.regulator.registerSuccess(user, attempt.ip);
    return { ok: true, user };
  }
}
