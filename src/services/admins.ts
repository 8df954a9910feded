import type { User } from '../model/index.ts';
import type { AdminScope, ServicesDeps } from './deps.ts';

/**
 * What a signed-in person may administer: the region for a coordinator; for anyone else the
 * establishments the cell named them administrator of — only their own (a person who moved
 * keeps no hold on the old one); null when none.
 */
export async function adminScopeOf(deps: Pick<ServicesDeps, 'storage'>, user: User): Promise<AdminScope | null> {
  if (user.role === 'coordinator') return { kind: 'region' };
  const ids = (await deps.storage.delegation.administered(user.id)).filter((id) => id === user.establishmentId);
  return ids.length > 0 ? { kind: 'establishment', establishmentIds: ids } : null;
}
