/**
 * What the cell delegates to an establishment: who administers it (a role on a person of that
 * establishment), and which applications its administrators may grant to its services.
 * Withdrawing an application stops the services' grants at once (the access check joins
 * this list). Cell only.
 */
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../shared/errors.ts';
import { attempt, establishmentSubject, recordIn } from './audit.ts';
import type { AdminScope, ServicesActor, ServicesDeps } from './deps.ts';
import { establishmentInScope, personInScope } from './scope.ts';

function cellOnly(scope: AdminScope): void {
  if (scope.kind !== 'region') throw new ForbiddenError('coordinator_required', 'only the coordination cell decides what an establishment may do');
}

export async function addAdmin(deps: ServicesDeps, scope: AdminScope, establishmentId: string, person: string, actor: ServicesActor): Promise<{ added: boolean }> {
  return attempt(deps, actor, { action: 'establishment.admin.add', subject: person.slice(0, 200), details: { establishmentId: establishmentId.slice(0, 100) } }, async () => {
    cellOnly(scope);
    const establishment = await establishmentInScope(deps, scope, actor, establishmentId);
    const user = await personInScope(deps, scope, actor, person);
    if (user.establishmentId !== establishment.id) throw new BadRequestError('not_member_of_establishment', `${user.identifier} does not belong to ${establishment.name}`);
    return deps.storage.transaction(async (repos) => {
      const added = await repos.delegation.addAdmin(establishment.id, user.id, actor.name, deps.clock.now().getTime());
      if (added) await recordIn(deps, repos, actor, { action: 'establishment.admin.add', subject: user.identifier, details: { establishmentId: establishment.id } });
      return { added };
    });
  });
}

export async function removeAdmin(deps: ServicesDeps, scope: AdminScope, establishmentId: string, person: string, actor: ServicesActor): Promise<void> {
  return attempt(deps, actor, { action: 'establishment.admin.remove', subject: person.slice(0, 200), details: { establishmentId: establishmentId.slice(0, 100) } }, async () => {
    cellOnly(scope);
    const establishment = await establishmentInScope(deps, scope, actor, establishmentId);
    const user = await personInScope(deps, scope, actor, person);
    await deps.storage.transaction(async (repos) => {
      if (!(await repos.delegation.removeAdmin(establishment.id, user.id))) throw new NotFoundError('not_an_admin', `${user.identifier} does not administer ${establishment.name}`);
      await recordIn(deps, repos, actor, { action: 'establishment.admin.remove', subject: user.identifier, details: { establishmentId: establishment.id } });
    });
  });
}

export async function allowApplication(deps: ServicesDeps, scope: AdminScope, establishmentId: string, applicationId: string, actor: ServicesActor): Promise<{ added: boolean }> {
  const appId = applicationId.slice(0, 100);
  const subject = establishmentSubject(establishmentId.slice(0, 100));
  return attempt(deps, actor, { action: 'establishment.application.allow', subject, applicationId: appId }, async () => {
    cellOnly(scope);
    const establishment = await establishmentInScope(deps, scope, actor, establishmentId);
    if (!deps.config.applications.some((a) => a.id === appId)) throw new NotFoundError('application_not_found', `no application ${appId}`);
    return deps.storage.transaction(async (repos) => {
      const added = await repos.delegation.allowApplication(establishment.id, appId, actor.name, deps.clock.now().getTime());
      if (added) await recordIn(deps, repos, actor, { action: 'establishment.application.allow', subject, applicationId: appId, details: { establishmentId: establishment.id } });
      return { added };
    });
  });
}

/** The establishment may no longer grant it; its services' grants of it stop opening it at once. */
export async function disallowApplication(deps: ServicesDeps, scope: AdminScope, establishmentId: string, applicationId: string, actor: ServicesActor): Promise<void> {
  const appId = applicationId.slice(0, 100);
  const subject = establishmentSubject(establishmentId.slice(0, 100));
  return attempt(deps, actor, { action: 'establishment.application.disallow', subject, applicationId: appId }, async () => {
    cellOnly(scope);
    const establishment = await establishmentInScope(deps, scope, actor, establishmentId);
    await deps.storage.transaction(async (repos) => {
      if (!(await repos.delegation.disallowApplication(establishment.id, appId))) throw new ConflictError('not_allowed', `${appId} is not allowed for ${establishment.name}`);
      await recordIn(deps, repos, actor, { action: 'establishment.application.disallow', subject, applicationId: appId, details: { establishmentId: establishment.id } });
    });
  });
}
