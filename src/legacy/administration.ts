import { ConflictError, NotFoundError } from '../shared/errors.ts';
import { legacyKey, requireLegacyApplication } from './settings.ts';
import type { LegacyConflict } from '../model/legacy.ts';
import type { LegacyDeps, LegacyActor } from './types.ts';

/** The cell lifts the lock of a legacy identifier (5 wrong passwords). */
export async function unlockLegacyIdentifier(deps: LegacyDeps, applicationId: string, username: string, actor: LegacyActor): Promise<void> {
  const app = requireLegacyApplication(deps.config, applicationId);
  await deps.storage.transaction(async (repos) => {
    if (!(await repos.legacy.unlock(app.id, legacyKey(username)))) throw new NotFoundError('not_locked', `legacy identifier ${username} of ${app.id} is not locked`);
    await deps.auditor.with(repos.audit).record({ action: 'legacy.unlock', outcome: 'success', actor: actor.name, ip: actor.ip ?? null, certificateSerial: actor.certificateSerial ?? null, applicationId: app.id, details: { legacyUsername: legacyKey(username) } });
  });
}

export interface ConflictView extends LegacyConflict {
  applicationName: string;
  claimant: string | null;
  holder: string | null;
}

export async function listConflicts(deps: LegacyDeps, open = true): Promise<ConflictView[]> {
  const rows = await deps.storage.legacy.conflicts({ open });
  const name = (id: string) => deps.config.applications.find((a) => a.id === id)?.name ?? id;
  return Promise.all(
    rows.map(async (c) => ({
      ...c,
      applicationName: name(c.applicationId),
      claimant: (await deps.storage.users.findById(c.claimantUserId))?.identifier ?? null,
      holder: (await deps.storage.users.findById(c.holderUserId))?.identifier ?? null,
    })),
  );
}

export async function getConflict(deps: LegacyDeps, id: string): Promise<ConflictView> {
  const conflict = await deps.storage.legacy.findConflict(id);
  if (!conflict) throw new NotFoundError('conflict_not_found', `no legacy conflict ${id}`);
  const name = deps.config.applications.find((a) => a.id === conflict.applicationId)?.name ?? conflict.applicationId;
  return {
    ...conflict,
    applicationName: name,
    claimant: (await deps.storage.users.findById(conflict.claimantUserId))?.identifier ?? null,
    holder: (await deps.storage.users.findById(conflict.holderUserId))?.identifier ?? null,
  };
}

/**
 * The cell settles a conflict: `dismissed` keeps the mapping as it is; `reassigned` moves the
 * legacy identifier to the person who proved its password (the former holder gets the
 * first-use page again). Each conflict is settled once.
 */
export async function resolveConflict(deps: LegacyDeps, id: string, resolution: 'dismissed' | 'reassigned', actor: LegacyActor): Promise<ConflictView> {
  await deps.storage.transaction(async (repos) => {
    const legacy = repos.legacy;
    const conflict = await legacy.findConflict(id);
    if (!conflict) throw new NotFoundError('conflict_not_found', `no legacy conflict ${id}`);
    if (conflict.resolvedAt !== null) throw new ConflictError('conflict_resolved', 'this conflict is already settled');
    const now = deps.clock.now().getTime();
    const details: Record<string, unknown> = { legacyUsername: conflict.legacyUsername, resolution };
    if (resolution === 'reassigned') {
      const held = await legacy.mappingByLegacy(conflict.applicationId, conflict.legacyUsername);
      if (held?.status === 'cut_over') throw new ConflictError('mapping_cut_over', 'the legacy identifier is cut over: it can no longer move');
      if (await legacy.mappingForUser(conflict.claimantUserId, conflict.applicationId)) throw new ConflictError('claimant_mapped', 'the claimant already has a legacy identifier for this application');
      if (held) {
        await legacy.deleteMapping(held.id);
        details.from = (await repos.users.findById(held.userId))?.identifier ?? held.userId;
      }
      await legacy.insertMapping({ id: deps.random.uuid(), userId: conflict.claimantUserId, applicationId: conflict.applicationId, legacyUsername: held?.legacyUsername ?? conflict.legacyUsername, status: 'mapped', createdAt: now, cutOverAt: null, cutOverBy: null });
      await legacy.clearDecline(conflict.claimantUserId, conflict.applicationId);
    }
    if (!(await legacy.resolveConflict(id, resolution, actor.name, now))) throw new ConflictError('conflict_resolved', 'this conflict is already settled');
    const claimant = (await repos.users.findById(conflict.claimantUserId))?.identifier ?? null;
    await deps.auditor.with(repos.audit).record({ action: 'legacy.conflict_resolve', outcome: 'success', actor: actor.name, ip: actor.ip ?? null, certificateSerial: actor.certificateSerial ?? null, subject: claimant, applicationId: conflict.applicationId, details });
  });
  return getConflict(deps, id);
}
