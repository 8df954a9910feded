import { z } from 'zod';
import { applicationUrl } from '../approval/index.ts';
import type { ApplicationConfig } from '../config/index.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { User } from '../model/index.ts';
import { decodeCursor, pageOf, type Page } from './cursor.ts';
import type { RegistryDeps } from './deps.ts';
import { iso } from '../shared/time.ts';
import { limitParam, readQuery, text } from './query.ts';

export interface ApplicationView {
  id: string;
  name: string;
  host: string;
  url: string;
  /** People with a live grant. */
  grants: number;
  pendingRequests: number;
}

export interface GrantHolderView {
  id: string;
  identifier: string;
  givenName: string;
  familyName: string;
  email: string;
  status: User['status'];
  establishmentName: string | null;
  grantedAt: string;
}

export interface PendingAccessView {
  requestId: string;
  requestedAt: string;
  person: { id: string; identifier: string; givenName: string; familyName: string; status: User['status'] };
}

export interface ApplicationDetail {
  application: ApplicationView;
  holders: Page<GrantHolderView>;
  pending: PendingAccessView[];
}

/** The catalogue is the configuration: an application exists here when it is configured. */
export async function listApplications(deps: RegistryDeps): Promise<ApplicationView[]> {
  const repo = deps.storage.registry;
  const [grants, pending] = [await repo.grantCounts(), await repo.pendingAccessCounts()];
  return deps.config.applications.map((a) => appView(deps, a, grants.get(a.id) ?? 0, pending.get(a.id) ?? 0));
}

function appView(deps: RegistryDeps, a: ApplicationConfig, grants: number, pendingRequests: number): ApplicationView {
  return { id: a.id, name: a.name, host: a.host, url: applicationUrl(deps.config, a), grants, pendingRequests };
}

export const holdersQuerySchema = z.object({ after: text(200).optional(), limit: limitParam });

export function parseHoldersQuery(query: unknown, strict: boolean): z.infer<typeof holdersQuerySchema> {
  return readQuery(holdersQuerySchema, query, { strict });
}

const PENDING_SHOWN = 200;

/** Who has access (by identifier, keyset-paginated) and who is waiting for it. */
export async function getApplication(deps: RegistryDeps, id: string, input: z.infer<typeof holdersQuerySchema>): Promise<ApplicationDetail> {
  const application = deps.config.applications.find((a) => a.id === id);
  if (!application) throw new NotFoundError('application_not_found', `no application ${id} in the configuration`);
  const repo = deps.storage.registry;
  const after = decodeCursor(input.after);
  const rows = await repo.grantsOf(application.id, after?.s ?? null, input.limit + 1);
  const holders = pageOf(
    rows,
    input.limit,
    (r) => ({ n: 0, s: r.identifier }),
    (r): GrantHolderView => ({
      id: r.id,
      identifier: r.identifier,
      givenName: r.givenName,
      familyName: r.familyName,
      email: r.email,
      status: r.status,
      establishmentName: r.establishmentName,
      grantedAt: iso(r.grantedAt)!,
    }),
  );
  const pending = (await repo.pendingAccessOf(application.id, PENDING_SHOWN)).map((r) => ({
    requestId: r.requestId,
    requestedAt: iso(r.requestedAt)!,
    person: { id: r.id, identifier: r.identifier, givenName: r.givenName, familyName: r.familyName, status: r.status },
  }));
  const counts = [await repo.grantCounts(), await repo.pendingAccessCounts()] as const;
  return { application: appView(deps, application, counts[0].get(application.id) ?? 0, counts[1].get(application.id) ?? 0), holders, pending };
}
