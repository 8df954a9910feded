import { ScureBase32Plugin, generateURI, verify as verifyTotp } from 'otplib';
import type { Runtime } from '../core/runtime.ts';
import type { Actor } from '../accounts/service.ts';
import { hashPassword, verifyPassword } from '../authentication/password.ts';
import { ConflictError, PasserelleError } from '../shared/errors.ts';
import type { TotpRepository } from '../storage/index.ts';
import type { User } from '../model/index.ts';
import type { ConsoleActor } from './actor.ts';
import { SecretBox } from './secret-box.ts';
import { LoginPolicy } from '../regulation/login-policy.ts';
import type { TotpRecord } from '../model/console.ts';

export type TotpDeps = Pick<Runtime, 'config' | 'clock' | 'random' | 'storage' | 'auditor'>;

export type SecondFactorState = 'none' | 'pending' | 'enabled';

export type VerifyOutcome =
  | { ok: true; method: 'totp' | 'recovery' }
  | { ok: false; reason: 'invalid_code' | 'wrong_password'; locked: boolean; remaining: number };

export const RECOVERY_CODE_COUNT = 10;
/** No 0/o, 1/i/l: read off paper, typed in any case. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const PERIOD_SECONDS = 30;
const base32 = new ScureBase32Plugin();

/** `123 456`, `123456` → TOTP; `abcd-efgh-jkmn` in any case and spacing → recovery code. */
function normalise(code: string): { kind: 'totp' | 'recovery'; value: string } | null {
  const value = code.replace(/[\s-]/g, '').toLowerCase().slice(0, 64);
  if (/^\d{6}$/.test(value)) return { kind: 'totp', value };
  if (value.length === 12 && [...value].every((c) => RECOVERY_ALPHABET.includes(c))) return { kind: 'recovery', value };
  return null;
}

function formatRecoveryCode(value: string): string {
  return value.match(/.{4}/g)!.join('-');
}

/**
 * The key that seals TOTP seeds: the configured one, or derived from the current session secret (so set
 * console.totpEncryptionKey before rotating session secrets, or coordinators re-enrol).
 */
export function totpKeyMaterial(config: Runtime['config'], sessionSecret: string | readonly string[]): string {
  const current = typeof sessionSecret === 'string' ? sessionSecret : sessionSecret[0]!;
  return config.console.totpEncryptionKey ?? `session-secret:${current}`;
}

/**
 * The console's optional second factor: RFC 6238 TOTP (SHA-1, 30 s, 6 digits, ±1 step) through
 * otplib, seeds sealed with AES-256-GCM, each time step usable once, and ten single-use
 * recovery codes hashed with argon2id. Wrong codes count against the account's lockout, like
 * wrong passwords. Every change and every check is audited; no secret is ever written there.
 */
export class TotpService {
  readonly #box: SecretBox;

  constructor(
    private readonly deps: TotpDeps,
    keyMaterial: string,
  ) {
    this.#box = new SecretBox(keyMaterial, 'console-totp-secret/v1', deps.random);
  }

  #repo(): TotpRepository {
    return this.deps.storage.totp;
  }

  #now(): number {
    return this.deps.clock.now().getTime();
  }

  #audit(action: string, outcome: 'success' | 'failure' | 'info', actor: Actor & { certificateSerial?: string | null }, user: User, reason: string | null = null, details: Record<string, unknown> | null = null): Promise<void> {
    return this.deps.auditor.record({ action, outcome, reason, actor: actor.name, ip: actor.ip ?? null, certificateSerial: actor.certificateSerial ?? null, subject: user.identifier, details });
  }

  async state(userId: string): Promise<SecondFactorState> {
    const row = await this.#repo().find(userId);
    return row ? row.status : 'none';
  }

  async recoveryCodesLeft(userId: string): Promise<number> {
    return this.#repo().unusedRecoveryCodes(userId);
  }

  #uri(user: User, secret: string): string {
    return generateURI({ issuer: this.deps.config.pki.organization, label: user.identifier, secret, period: PERIOD_SECONDS, digits: 6, algorithm: 'sha1' });
  }

  /**
   * The seed to scan: the pending one if enrolment was already started (a reload shows the
   * same QR code), else a new one. Refused once a second factor is enabled.
   */
  async beginEnrolment(user: User, actor: ConsoleActor): Promise<{ secret: string; uri: string }> {
    const repo = this.#repo();
    const existing = await repo.find(user.id);
    if (existing?.status === 'enabled') throw new ConflictError('totp_already_enabled', 'a second factor is already enabled: disable it first');
    const pending = existing ? this.#open(existing, user) : null;
    if (pending) return { secret: pending, uri: this.#uri(user, pending) };
    const secret = base32.encode(this.deps.random.bytes(20), { padding: false });
    await repo.putPending(user.id, this.#box.seal(secret, user.id), this.#now());
    await this.#audit('console.totp.begin', 'success', actor, user);
    return { secret, uri: this.#uri(user, secret) };
  }

  /** The seed, or null when the key changed since it was sealed (session.secret rotated without totpEncryptionKey). */
  #open(row: TotpRecord, user: User): string | null {
    try {
      return this.#box.open(row.secret, user.id);
    } catch {
      return null;
    }
  }

  /** The time step a code belongs to (within ±1 step of now), or null. */
  async #match(row: TotpRecord, user: User, code: string): Promise<number | null> {
    const secret = this.#open(row, user);
    if (secret === null) throw new PasserelleError(500, 'totp_secret_unreadable', `the TOTP seed of ${user.identifier} cannot be decrypted with the configured key: reset it with \`passerelle console totp-reset\``);
    const result = await verifyTotp({ secret, token: code, epoch: Math.floor(this.#now() / 1000), period: PERIOD_SECONDS, digits: 6, algorithm: 'sha1', epochTolerance: PERIOD_SECONDS });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  }

  /** A wrong code counts like a wrong password: after `lockout.maxFailures` the account locks. */
  async #fail(user: User, actor: ConsoleActor, action: string, reason: 'invalid_code' | 'wrong_password'): Promise<VerifyOutcome> {
    const max = this.deps.config.lockout.maxFailures;
    const counted = await this.deps.storage.users.recordFailure(user.id, max, this.#now());
    const locked = counted?.status === 'locked';
    await this.#audit(action, 'failure', actor, user, reason);
    if (locked) {
      await this.deps.auditor.record({ action: 'user.lockout', outcome: 'info', reason: 'too_many_failures', subject: user.identifier, ip: actor.ip, certificateSerial: actor.certificateSerial, applicationId: 'console' });
    }
    return { ok: false, reason, locked, remaining: Math.max(max - (counted?.failedLogins ?? max), 0) };
  }

  async #newRecoveryCodes(): Promise<{ shown: string[]; stored: Array<{ id: string; lookup: string; codeHash: string }> }> {
    const values = new Map<string, string>();
    while (values.size < RECOVERY_CODE_COUNT) {
      const value = this.deps.random.string(12, RECOVERY_ALPHABET);
      values.set(value.slice(0, 4), value);
    }
    const stored = await Promise.all([...values].map(async ([lookup, value]) => ({ id: this.deps.random.uuid(), lookup, codeHash: await hashPassword(value) })));
    return { shown: [...values.values()].map(formatRecoveryCode), stored };
  }

  /** The first code from the app confirms the enrolment; the ten recovery codes are returned once. */
  async confirmEnrolment(user: User, code: string, actor: ConsoleActor): Promise<{ ok: true; recoveryCodes: string[] } | Extract<VerifyOutcome, { ok: false }>> {
    const row = await this.#repo().find(user.id);
    if (row?.status !== 'pending') throw new ConflictError('totp_not_pending', 'no enrolment in progress: start again');
    const parsed = normalise(code);
    const step = parsed?.kind === 'totp' ? await this.#match(row, user, parsed.value) : null;
    if (step === null) return (await this.#fail(user, actor, 'console.totp.enable', 'invalid_code')) as Extract<VerifyOutcome, { ok: false }>;
    const codes = await this.#newRecoveryCodes();
    const now = this.#now();
    await this.deps.storage.transaction(async (repos) => {
      const repo = repos.totp;
      if (!(await repo.enable(user.id, step, now))) throw new ConflictError('totp_not_pending', 'the enrolment changed meanwhile: start again');
      await repo.replaceRecoveryCodes(user.id, codes.stored, now);
      await repos.users.clearFailuresAfterSecondFactor(user.id, now);
      await this.deps.auditor.with(repos.audit).record({ action: 'console.totp.enable', outcome: 'success', actor: actor.name, ip: actor.ip, certificateSerial: actor.certificateSerial, subject: user.identifier, details: { recoveryCodes: RECOVERY_CODE_COUNT } });
    });
    return { ok: true, recoveryCodes: codes.shown };
  }

  /** Checks and spends a code (the TOTP of the current window, or a recovery code), without auditing. */
  async #spend(user: User, code: string): Promise<'totp' | 'recovery' | null> {
    const repo = this.#repo();
    const row = await repo.find(user.id);
    const parsed = normalise(code);
    if (row?.status !== 'enabled' || !parsed) return null;
    if (parsed.kind === 'totp') {
      const step = await this.#match(row, user, parsed.value);
      // Compare-and-swap on the last step: the same code (or an older one) never works twice.
      return step !== null && (await repo.spendStep(user.id, step)) ? 'totp' : null;
    }
    const candidate = await repo.findRecoveryCode(user.id, parsed.value.slice(0, 4));
    const matches = await verifyPassword(candidate?.usedAt == null ? candidate?.codeHash : undefined, parsed.value);
    return candidate && matches && (await repo.spendRecoveryCode(candidate.id, this.#now())) ? 'recovery' : null;
  }

  /** The challenge after the password: a TOTP code or a recovery code. */
  /**
   * The sign-in's second step. Goes through the one lockout rule (src/regulation/login-policy.ts):
   * each attempt is counted BEFORE the code is checked, so concurrent guesses cannot get more
   * than `lockout.maxFailures` codes checked between two right answers.
   */
  async verify(user: User, code: string, actor: ConsoleActor): Promise<VerifyOutcome> {
    const policy = new LoginPolicy(this.deps.storage, this.deps.clock, this.deps.auditor, this.deps.config.lockout.maxFailures);
    let method: 'totp' | 'recovery' | null = null;
    const checked = await policy.attempt(
      user,
      async () => {
        method = await this.#spend(user, code);
        return method !== null;
      },
      { ip: actor.ip ?? null, certificateSerial: actor.certificateSerial ?? null, applicationId: 'console' },
    );
    if (!checked.ok || !method) {
      const reason = checked.ok ? 'invalid_code' : checked.reason === 'wrong_password' ? 'invalid_code' : checked.reason;
      await this.#audit('console.totp.verify', 'failure', actor, user, reason);
      return checked.ok || checked.reason !== 'wrong_password' ? { ok: false, reason: 'invalid_code', locked: true, remaining: 0 } : { ok: false, reason: 'invalid_code', locked: checked.locked, remaining: checked.remaining };
    }
    const left = method === 'recovery' ? await this.recoveryCodesLeft(user.id) : undefined;
    await this.#audit('console.totp.verify', 'success', actor, user, null, { method, ...(left === undefined ? {} : { recoveryCodesLeft: left }) });
    return { ok: true, method };
  }

  /** Turning the second factor off takes the password and a current code (or a recovery code). */
  async disable(user: User, password: string, code: string, actor: ConsoleActor): Promise<VerifyOutcome> {
    if ((await this.state(user.id)) !== 'enabled') throw new ConflictError('totp_not_enabled', 'no second factor is enabled');
    if (!(await verifyPassword(user.passwordHash, password))) return this.#fail(user, actor, 'console.totp.disable', 'wrong_password');
    const method = await this.#spend(user, code);
    if (!method) return this.#fail(user, actor, 'console.totp.disable', 'invalid_code');
    await this.deps.storage.transaction(async (repos) => {
      const repo = repos.totp;
      await repo.remove(user.id);
      await repos.users.clearFailuresAfterSecondFactor(user.id, this.#now());
      await this.deps.auditor.with(repos.audit).record({ action: 'console.totp.disable', outcome: 'success', actor: actor.name, ip: actor.ip, certificateSerial: actor.certificateSerial, subject: user.identifier, details: { method } });
    });
    return { ok: true, method };
  }

  /** Ten new recovery codes (the old ones stop working), against a current code. */
  async regenerateRecoveryCodes(user: User, code: string, actor: ConsoleActor): Promise<{ ok: true; recoveryCodes: string[] } | Extract<VerifyOutcome, { ok: false }>> {
    if ((await this.state(user.id)) !== 'enabled') throw new ConflictError('totp_not_enabled', 'no second factor is enabled');
    const method = await this.#spend(user, code);
    if (!method) return (await this.#fail(user, actor, 'console.totp.recovery-codes', 'invalid_code')) as Extract<VerifyOutcome, { ok: false }>;
    const codes = await this.#newRecoveryCodes();
    await this.deps.storage.transaction(async (repos) => {
      const repo = repos.totp;
      await repo.replaceRecoveryCodes(user.id, codes.stored, this.#now());
      await repos.users.clearFailuresAfterSecondFactor(user.id, this.#now());
      await this.deps.auditor.with(repos.audit).record({ action: 'console.totp.recovery-codes', outcome: 'success', actor: actor.name, ip: actor.ip, certificateSerial: actor.certificateSerial, subject: user.identifier, details: { method, recoveryCodes: RECOVERY_CODE_COUNT } });
    });
    return { ok: true, recoveryCodes: codes.shown };
  }
}

/**
 * The cell's way out for a lost phone (`passerelle console totp-reset`): the second factor and
 * its recovery codes are removed; at the next login the coordinator enrols again (forced when
 * console.requireTotp is on). Needs no key: nothing is decrypted.
 */
export async function resetTotp(deps: Pick<Runtime, 'storage' | 'auditor'>, user: User, actor: Actor): Promise<boolean> {
  return deps.storage.transaction(async (repos) => {
    const removed = await repos.totp.remove(user.id);
    await deps.auditor.with(repos.audit).record({ action: 'console.totp.reset', outcome: removed ? 'success' : 'info', reason: removed ? null : 'no_second_factor', actor: actor.name, ip: actor.ip ?? null, subject: user.identifier });
    return removed;
  });
}
