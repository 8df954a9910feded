import type { User } from '../model/index.ts';
import { checkWithLockout } from './credentials.ts';
import { applicationCutOver } from './first-use.ts';
import { legacyApplications } from './settings.ts';
import type { LegacyMapping } from '../model/legacy.ts';
import type { LegacyApplication, LegacyDeps } from './types.ts';

export type LegacyPortalResult =
  /** Migration period: the legacy credentials open the portal as the mapped person. */
  | { ok: true; user: User; mapping: LegacyMapping; application: LegacyApplication }
  | { ok: false; reason: 'invalid_credentials' | 'legacy_locked' | 'legacy_unavailable' }
  /** Right legacy credentials after cut-over: refused, naming the person's identifier. */
  | { ok: false; reason: 'legacy_cut_over'; user: User; application: LegacyApplication };

/**
 * The portal's login form with a legacy identifier. Only MAPPED legacy identifiers open the
 * portal (the person behind them is known). Several applications may map the same spelling
 * to different people: each is tried, in configuration order, until one accepts the
 * password. Returns null when the identifier is no mapped legacy identifier at all.
 */
export async function legacyPortalLogin(deps: LegacyDeps, identifier: string, password: string, ip: string | null): Promise<LegacyPortalResult | null> {
  const apps = legacyApplications(deps.config);
  if (apps.length === 0 || !identifier) return null;
  const mappings = await deps.storage.legacy.mappingsByLegacyUsername(identifier);
  const candidates = apps.flatMap((app) => mappings.filter((m) => m.applicationId === app.id).map((mapping) => ({ app, mapping })));
  if (candidates.length === 0) return null;

  let refusal: 'invalid_credentials' | 'legacy_locked' | 'legacy_unavailable' = 'invalid_credentials';
  for (const { app, mapping } of candidates) {
    const check = await checkWithLockout(deps, app, mapping.legacyUsername, password, { via: 'portal', actor: null, ip });
    if (check.kind !== 'valid') {
      // The most useful refusal wins: "try later" over "locked" over "wrong password".
      if (check.kind === 'unavailable') refusal = 'legacy_unavailable';
      else if (check.kind === 'locked' && refusal === 'invalid_credentials') refusal = 'legacy_locked';
      continue;
    }
    const user = await deps.storage.users.findById(mapping.userId);
    if (!user) continue;
    if (mapping.status === 'cut_over' || (await applicationCutOver(deps.storage.legacy, app))) return { ok: false, reason: 'legacy_cut_over', user, application: app };
    return { ok: true, user, mapping, application: app };
  }
  return { ok: false, reason: refusal };
}
