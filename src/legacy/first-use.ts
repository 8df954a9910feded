import { isUniqueViolation } from '../accounts/service.ts';
import type { LegacyRepository } from '../storage/index.ts';
import type { User } from '../model/index.ts';
import { checkWithLockout, type LegacyContext } from './credentials.ts';
import { cleanLegacyUsername } from './settings.ts';
import type { LegacyMapping } from '../model/legacy.ts';
import type { LegacyApplication, LegacyDeps } from './types.ts';

/**
 * Where a signed-in person stands with an application's legacy identifiers:
 * - `mapped`: recognised (mapped or cut over), the gateway sends the legacy identifier;
 * - `declined`: said "new to the application"; the page is not shown again;
 * - `closed`: the application is cut over and they never mapped: nothing left to ask;
 * - `needed`: show the first-use page before proxying.
 */
export type FirstUseState = { kind: 'mapped'; mapping: LegacyMapping } | { kind: 'declined' } | { kind: 'closed' } | { kind: 'needed' };

/** The whole application is past its migration period: by configuration, or by the cell. */
export async function applicationCutOver(legacy: LegacyRepository, app: LegacyApplication): Promise<{ at: number | null; by: string; source: 'config' | 'cell' } | null> {
  if (app.legacy.cutOver) return { at: null, by: 'configuration', source: 'config' };
  const row = await legacy.applicationCutOver(app.id);
  return row ? { at: row.cutOverAt, by: row.cutOverBy, source: 'cell' } : null;
}

export async function firstUseState(deps: LegacyDeps, userId: string, app: LegacyApplication): Promise<FirstUseState> {
  const repo = deps.storage.legacy;
  const mapping = await repo.mappingForUser(userId, app.id);
  if (mapping) return { kind: 'mapped', mapping };
  if (await repo.hasDeclined(userId, app.id)) return { kind: 'declined' };
  if (await applicationCutOver(deps.storage.legacy, app)) return { kind: 'closed' };
  return { kind: 'needed' };
}

export type LegacySignInResult =
  | { outcome: 'mapped'; mapping: LegacyMapping }
  /** The person already has a legacy identifier for this application. */
  | { outcome: 'already_mapped'; mapping: LegacyMapping }
  | { outcome: 'invalid'; remainingAttempts: number }
  | { outcome: 'locked' }
  | { outcome: 'unavailable' }
  /** Right credentials, but the legacy identifier is mapped to someone else: left to the cell. */
  | { outcome: 'conflict' }
  /** Right credentials, but this legacy identifier was cut over (it belongs to someone else's finished migration). */
  | { outcome: 'legacy_cut_over' }
  /** The application is cut over: legacy identifiers are no longer accepted at all. */
  | { outcome: 'closed' };

export interface SignInAttempt {
  user: User;
  app: LegacyApplication;
  username: string;
  password: string;
  ip: string | null;
  certificateSerial: string | null;
}

/**
 * "Already a user? Sign in once with your previous identifier": checks the legacy
 * credentials (with the legacy identifier's lockout) and, when right, stores the mapping
 * — one legacy identifier for at most one person, audited either way.
 */
export async function signInWithLegacy(deps: LegacyDeps, attempt: SignInAttempt): Promise<LegacySignInResult> {
  const { user, app } = attempt;
  const username = cleanLegacyUsername(attempt.username);
  const context: LegacyContext = { via: 'gateway', actor: user.identifier, ip: attempt.ip, certificateSerial: attempt.certificateSerial };
  const audit = (auditor: LegacyDeps['auditor'], outcome: 'success' | 'failure', reason: string | null, details: Record<string, unknown> = {}) =>
    auditor.record({
      action: 'legacy.map',
      outcome,
      reason,
      actor: user.identifier,
      subject: user.identifier,
      ip: attempt.ip,
      certificateSerial: attempt.certificateSerial,
      applicationId: app.id,
      details: { legacyUsername: username, ...details },
    });

  const existing = await deps.storage.legacy.mappingForUser(user.id, app.id);
  if (existing) return { outcome: 'already_mapped', mapping: existing };
  if (await applicationCutOver(deps.storage.legacy, app)) {
    await audit(deps.auditor, 'failure', 'application_cut_over');
    return { outcome: 'closed' };
  }

  const check = await checkWithLockout(deps, app, username, attempt.password, context);
  if (check.kind !== 'valid') return check.kind === 'invalid' ? { outcome: 'invalid', remainingAttempts: check.remainingAttempts } : { outcome: check.kind };

  const store = () =>
    deps.storage.transaction(async (repos): Promise<LegacySignInResult> => {
      const legacy = repos.legacy;
      const auditor = deps.auditor.with(repos.audit);
      const now = deps.clock.now().getTime();
      const mine = await legacy.mappingForUser(user.id, app.id);
      if (mine) return { outcome: 'already_mapped', mapping: mine };
      const holder = await legacy.mappingByLegacy(app.id, check.username);
      if (holder) {
        const holderUser = await repos.users.findById(holder.userId);
        if (holder.status === 'cut_over') {
          await audit(auditor, 'failure', 'legacy_cut_over', { holder: holderUser?.identifier ?? null });
          return { outcome: 'legacy_cut_over' };
        }
        if (!(await legacy.openConflict(app.id, check.username, user.id))) {
          await legacy.insertConflict({ id: deps.random.uuid(), applicationId: app.id, legacyUsername: holder.legacyUsername, claimantUserId: user.id, holderUserId: holder.userId, createdAt: now, resolvedAt: null, resolvedBy: null, resolution: null });
        }
        await audit(auditor, 'failure', 'conflict', { holder: holderUser?.identifier ?? null });
        return { outcome: 'conflict' };
      }
      const mapping: LegacyMapping = { id: deps.random.uuid(), userId: user.id, applicationId: app.id, legacyUsername: check.username, status: 'mapped', createdAt: now, cutOverAt: null, cutOverBy: null };
      await legacy.insertMapping(mapping);
      await legacy.clearDecline(user.id, app.id);
      await audit(auditor, 'success', null, { legacyUsername: mapping.legacyUsername, via: 'gateway' });
      return { outcome: 'mapped', mapping };
    });
  try {
    return await store();
  } catch (error) {
    // Someone else mapped the same identifier at the same moment: run again, it is now a conflict.
    if (isUniqueViolation(error)) return store();
    throw error;
  }
}

/** "New to the application": remembered so the first-use page is not shown again (the page stays reachable by its address). */
export async function declareNewUser(deps: LegacyDeps, user: User, app: LegacyApplication, context: { ip: string | null; certificateSerial: string | null }): Promise<void> {
  await deps.storage.transaction(async (repos) => {
    const legacy = repos.legacy;
    if (await legacy.mappingForUser(user.id, app.id)) return;
    if (!(await legacy.decline(user.id, app.id, deps.clock.now().getTime()))) return;
    await deps.auditor.with(repos.audit).record({
      action: 'legacy.declare_new',
      outcome: 'success',
      actor: user.identifier,
      subject: user.identifier,
      ip: context.ip,
      certificateSerial: context.certificateSerial,
      applicationId: app.id,
    });
  });
}
