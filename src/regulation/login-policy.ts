import type { Auditor } from '../audit/auditor.ts';
import type { Clock } from '../shared/clock.ts';
import type { Storage } from '../storage/index.ts';
import type { User } from '../model/index.ts';

/** Where the attempt came from, for the `user.lockout` audit line. */
export interface AttemptContext {
  ip: string | null;
  certificateSerial?: string | null;
  applicationId?: string | null;
}

export type SecretCheck =
  /** The secret was right and the failure count is reset; the account was still usable. */
  | { ok: true }
  /** Checked and wrong. `locked`: the account is locked now; `remaining`: attempts left before the lock. */
  | { ok: false; reason: 'wrong_password'; locked: boolean; remaining: number }
  /** Refused WITHOUT checking: locked, deactivated, or every attempt already taken by concurrent ones. */
  | { ok: false; reason: 'account_locked' | 'account_deactivated' };

/**
 * The one lockout rule for the portal, the gateway and the console (passwords and second-factor
 * codes alike): at most `maxFailures` checks per account between two right answers, whatever
 * the concurrency, and never a success on a locked account.
 *
 * Each attempt is reserved BEFORE the check by one atomic UPDATE that counts it as a failure;
 * a wrong answer that spent the last attempt locks the account; a right answer resets the
 * count only if the account is still usable (so a right password racing the lock is refused).
 * A crash between reservation and answer leaves the attempt counted: it fails closed.
 */
export class LoginPolicy {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly auditor: Auditor,
    readonly maxFailures: number,
  ) {}

  #now(): number {
    return this.clock.now().getTime();
  }

  /** Reserves, runs `check` (argon2, TOTP…), settles. Audits `user.lockout` once, by the attempt that locked. */
  async attempt(user: User, check: () => Promise<boolean>, context: AttemptContext): Promise<SecretCheck> {
    const { users } = this.storage;
    const position = await users.reserveAttempt(user.id, this.maxFailures, this.#now());
    if (position === undefined) return { ok: false, reason: await this.#refusal(user) };
    if (await check()) {
      if (await users.resetFailures(user.id, this.#now())) return { ok: true };
      return { ok: false, reason: await this.#refusal(user) };
    }
    const lockedNow = await users.lockIfExhausted(user.id, this.maxFailures, this.#now());
    if (lockedNow) {
      await this.auditor.record({ action: 'user.lockout', outcome: 'info', reason: 'too_many_failures', subject: user.identifier, ip: context.ip, certificateSerial: context.certificateSerial ?? null, applicationId: context.applicationId ?? null });
    }
    return { ok: false, reason: 'wrong_password', locked: lockedNow || position >= this.maxFailures, remaining: Math.max(this.maxFailures - position, 0) };
  }

  /** Records the login (last login date and address) — refused (false) if the account was locked or deactivated meanwhile. */
  recordLogin(user: User, ip: string | null): Promise<boolean> {
    return this.storage.users.recordSuccess(user.id, ip, this.#now());
  }

  /** Why an attempt was refused unchecked: the status as it is now ("locked" too while the last attempts are in flight). */
  async #refusal(user: User): Promise<'account_locked' | 'account_deactivated'> {
    const now = await this.storage.users.findById(user.id);
    return now?.status === 'deactivated' ? 'account_deactivated' : 'account_locked';
  }
}
