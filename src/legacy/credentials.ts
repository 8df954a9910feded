import { legacyKey } from './settings.ts';
import { checkLegacyCredentials } from './verifier.ts';
import type { LegacyApplication, LegacyDeps } from './types.ts';

/** Where a legacy identifier was typed, who was signed in, from where — for the audit trail. */
export interface LegacyContext {
  via: 'gateway' | 'portal';
  /** The Passerelle identifier of the signed-in person (gateway), null on the portal's login form. */
  actor: string | null;
  ip: string | null;
  certificateSerial?: string | null;
}

export type GuardedCheck =
  | { kind: 'valid'; username: string }
  | { kind: 'invalid'; remainingAttempts: number }
  | { kind: 'locked' }
  | { kind: 'unavailable' };

/**
 * Legacy credentials behind the lockout of THAT legacy identifier: refused unchecked once
 * locked; a wrong password counts (config.lockout.maxFailures, shared by the first-use page
 * and the portal); a right one clears the count; "could not check" counts nothing.
 * Every refusal is audited as `legacy.sign_in` (never the password).
 */
export async function checkWithLockout(deps: LegacyDeps, app: LegacyApplication, username: string, password: string, context: LegacyContext): Promise<GuardedCheck> {
  const repo = deps.storage.legacy;
  const key = legacyKey(username);
  const max = deps.config.lockout.maxFailures;
  const audit = (outcome: 'failure' | 'info', reason: string, action = 'legacy.sign_in') =>
    deps.auditor.record({
      action,
      outcome,
      reason,
      actor: context.actor,
      subject: context.actor,
      ip: context.ip,
      certificateSerial: context.certificateSerial ?? null,
      applicationId: app.id,
      details: { legacyUsername: username, via: context.via },
    });

  // The attempt is counted before the check (released if the check could not run): concurrent guesses
  // get at most `max` checks, as for Passerelle passwords (src/regulation/login-policy.ts).
  const position = await repo.reserveAttempt(app.id, key, max, deps.clock.now().getTime());
  if (position === undefined) {
    await audit('failure', 'legacy_locked');
    return { kind: 'locked' };
  }
  const check = await checkLegacyCredentials(deps.storage.legacy, app, username, password);
  if (check.verdict === 'unavailable') {
    await repo.releaseAttempt(app.id, key, deps.clock.now().getTime());
    await audit('failure', `legacy_unavailable:${check.reason}`);
    return { kind: 'unavailable' };
  }
  if (check.verdict === 'invalid') {
    const lockedNow = await repo.lockIfExhausted(app.id, key, max, deps.clock.now().getTime());
    await audit('failure', 'wrong_legacy_password');
    if (lockedNow) await audit('info', 'too_many_failures', 'legacy.lockout');
    if (lockedNow || position >= max) return { kind: 'locked' };
    return { kind: 'invalid', remainingAttempts: Math.max(max - position, 0) };
  }
  if (!(await repo.clearFailures(app.id, key))) {
    await audit('failure', 'legacy_locked');
    return { kind: 'locked' };
  }
  return { kind: 'valid', username: check.username };
}
