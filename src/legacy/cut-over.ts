import { ConflictError, NotFoundError } from '../shared/errors.ts';
import type { Repositories } from '../storage/index.ts';
import type { User } from '../model/index.ts';
import { applicationCutOver } from './first-use.ts';
import { requireLegacyApplication } from './settings.ts';
import type { LegacyMapping } from '../model/legacy.ts';
import type { LegacyDeps, LegacyActor } from './types.ts';

export interface CutOverReport {
  scope: 'user' | 'application';
  applicationId: string | null;
  identifier: string | null;
  /** Mappings that went from mapped to cut over just now. */
  cutOver: Array<{ identifier: string; applicationId: string; legacyUsername: string }>;
}

async function requireUser(deps: LegacyDeps, who: string): Promise<User> {
  const user = (await deps.storage.users.findById(who)) ?? (await deps.storage.users.findByIdentifier(who));
  if (!user) throw new NotFoundError('user_not_found', `no user ${who}`);
  return user;
}

/** One audit event per mapping cut over: the person's own trail shows it. */
async function auditMappings(deps: LegacyDeps, repos: Repositories, rows: LegacyMapping[], actor: LegacyActor, scope: 'user' | 'application'): Promise<CutOverReport['cutOver']> {
  const auditor = deps.auditor.with(repos.audit);
  const out: CutOverReport['cutOver'] = [];
  for (const row of rows) {
    const identifier = (await repos.users.findById(row.userId))?.identifier ?? row.userId;
    out.push({ identifier, applicationId: row.applicationId, legacyUsername: row.legacyUsername });
    await auditor.record({ action: 'legacy.cut_over', outcome: 'success', reason: scope, actor: actor.name, ip: actor.ip ?? null, certificateSerial: actor.certificateSerial ?? null, subject: identifier, applicationId: row.applicationId, details: { legacyUsername: row.legacyUsername } });
  }
  return out;
}

/**
 * Cuts one person over: all their mappings, or the one of `applicationId`. From then on their
 * legacy identifier is refused everywhere (the refusal names their identifier); the
 * application keeps receiving it in X-Passerelle-Legacy-User.
 */
export async function cutOverUser(deps: LegacyDeps, who: string, applicationId: string | null, actor: LegacyActor): Promise<CutOverReport> {
  const user = await requireUser(deps, who);
  if (applicationId) requireLegacyApplication(deps.config, applicationId);
  return deps.storage.transaction(async (repos) => {
    const legacy = repos.legacy;
    const mappings = (await legacy.mappingsForUser(user.id)).filter((m) => !applicationId || m.applicationId === applicationId);
    if (mappings.length === 0) throw new NotFoundError('no_legacy_mapping', `${user.identifier} has no legacy identifier${applicationId ? ` for ${applicationId}` : ''}`);
    const rows = await legacy.cutOver({ userId: user.id, ...(applicationId ? { applicationId } : {}) }, deps.clock.now().getTime(), actor.name);
    if (rows.length === 0) throw new ConflictError('already_cut_over', `${user.identifier} is already cut over${applicationId ? ` for ${applicationId}` : ''}`);
    return { scope: 'user', applicationId, identifier: user.identifier, cutOver: await auditMappings(deps, repos, rows, actor, 'user') };
  });
}

/**
 * Cuts a whole application over: every mapping, and no more first-use sign-ins with a legacy
 * identifier (people who never mapped simply go through as new users).
 */
export async function cutOverApplication(deps: LegacyDeps, applicationId: string, actor: LegacyActor): Promise<CutOverReport> {
  const app = requireLegacyApplication(deps.config, applicationId);
  return deps.storage.transaction(async (repos) => {
    const legacy = repos.legacy;
    const already = await applicationCutOver(repos.legacy, app);
    const now = deps.clock.now().getTime();
    const marked = already ? false : await legacy.markApplicationCutOver(app.id, now, actor.name);
    const rows = await legacy.cutOver({ applicationId: app.id }, now, actor.name);
    if (!marked && rows.length === 0) throw new ConflictError('already_cut_over', `application ${app.id} is already cut over`);
    const cutOver = await auditMappings(deps, repos, rows, actor, 'application');
    await deps.auditor.with(repos.audit).record({ action: 'legacy.cut_over_application', outcome: 'success', actor: actor.name, ip: actor.ip ?? null, certificateSerial: actor.certificateSerial ?? null, applicationId: app.id, details: { mappings: rows.length } });
    return { scope: 'application', applicationId: app.id, identifier: null, cutOver };
  });
}
