import type { Repositories } from '../storage/index.ts';
import { applicationCutOver } from './first-use.ts';
import { legacyApplications, requireLegacyApplication } from './settings.ts';
import type { LegacyMapping } from '../model/legacy.ts';
import type { LegacyDeps } from './types.ts';

export interface LegacyProgress {
  applicationId: string;
  applicationName: string;
  mode: 'directory' | 'http';
  /** When the whole application was cut over, by whom (or by its configuration). */
  cutOver: { at: number | null; by: string; source: 'config' | 'cell' } | null;
  mapped: number;
  cutOverMappings: number;
  /** People who said they were new to the application. */
  declined: number;
  /** Directory mode: imported accounts, and those nobody has claimed yet; null in http mode. */
  imported: number | null;
  remaining: number | null;
  lockedIdentifiers: number;
  openConflicts: number;
}

/** Migration progress per application, for the console, the API and the CLI. */
export async function legacyProgress(deps: LegacyDeps): Promise<LegacyProgress[]> {
  const repo = deps.storage.legacy;
  const conflicts = await repo.conflicts({ open: true, limit: 10_000 });
  const out: LegacyProgress[] = [];
  for (const app of legacyApplications(deps.config)) {
    const counts = await repo.countMappings(app.id);
    const accounts = app.legacy.mode === 'directory' ? await repo.countAccounts(app.id) : null;
    out.push({
      applicationId: app.id,
      applicationName: app.name,
      mode: app.legacy.mode,
      cutOver: await applicationCutOver(deps.storage.legacy, app),
      mapped: counts.mapped,
      cutOverMappings: counts.cutOver,
      declined: await repo.countDeclines(app.id),
      imported: accounts?.total ?? null,
      remaining: accounts?.unmapped ?? null,
      lockedIdentifiers: (await repo.locks(app.id)).length,
      openConflicts: conflicts.filter((c) => c.applicationId === app.id).length,
    });
  }
  return out;
}

export interface MappingView extends LegacyMapping {
  identifier: string | null;
  applicationName: string;
}

async function withIdentifiers(deps: LegacyDeps, rows: LegacyMapping[]): Promise<MappingView[]> {
  const name = (id: string) => deps.config.applications.find((a) => a.id === id)?.name ?? id;
  return Promise.all(rows.map(async (m) => ({ ...m, identifier: (await deps.storage.users.findById(m.userId))?.identifier ?? null, applicationName: name(m.applicationId) })));
}

export async function listMappings(deps: LegacyDeps, applicationId: string, filter: { status?: LegacyMapping['status']; limit?: number; offset?: number } = {}): Promise<MappingView[]> {
  const app = requireLegacyApplication(deps.config, applicationId);
  return withIdentifiers(deps, await deps.storage.legacy.listMappings(app.id, filter));
}

export async function mappingsOfUser(deps: LegacyDeps, userId: string): Promise<MappingView[]> {
  return withIdentifiers(deps, await deps.storage.legacy.mappingsForUser(userId));
}

export async function listLocks(deps: LegacyDeps, applicationId?: string) {
  return deps.storage.legacy.locks(applicationId);
}

/**
 * The legacy identifier the gateway sends to `applicationId` for this person
 * (X-Passerelle-Legacy-User and the assertion's `legacy_username`), or null. Sent while
 * mapped AND after cut-over: cut-over ends the legacy credentials, not the application's
 * need to find its existing account.
 */
export async function legacyUsernameFor(storage: Pick<Repositories, 'legacy'>, userId: string, applicationId: string): Promise<string | null> {
  return (await storage.legacy.mappingForUser(userId, applicationId))?.legacyUsername ?? null;
}
