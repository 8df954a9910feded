/**
 * An establishment's services: create, rename, delete; members in and out; applications
 * granted to a service. The cell acts on every establishment, an establishment administrator
 * on theirs only (`scope`). Each change and its audit row commit together; a refusal leaves a
 * failure row. Shared by the console pages, the admin API and the CLI.
 */
import { isUniqueViolation } from '../accounts/service.ts';
import type { Service } from '../model/services.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.ts';
import { attempt, establishmentSubject, recordIn } from './audit.ts';
import type { AdminScope, ServicesActor, ServicesDeps } from './deps.ts';
import { establishmentInScope, personInScope, serviceInScope } from './scope.ts';

const CONTROL = /[\u0000-\u001f\u007f]/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

/** Name (1–100 characters) and optional code (letters, digits, `_ . -`, up to 32). */
export function readService(input: { name?: unknown; code?: unknown }): { name: string; code: string | null } {
  const name = typeof input.name === 'string' ? input.name.trim().replace(/\s+/g, ' ') : '';
  if (!name) throw new BadRequestError('service_name_required', 'a service needs a name');
  if (name.length > 100 || CONTROL.test(name)) throw new BadRequestError('invalid_service_name', 'the name is too long (100 characters at most) or holds control characters');
  const rawCode = typeof input.code === 'string' ? input.code.trim() : '';
  if (rawCode && !CODE.test(rawCode)) throw new BadRequestError('invalid_service_code', 'the code is letters, digits, "_", "." or "-" (32 at most)');
  return { name, code: rawCode || null };
}

function duplicate(error: unknown): never {
  if (isUniqueViolation(error)) throw new ConflictError('service_exists', 'this establishment already has a service with this name or code');
  throw error;
}

export async function createService(deps: ServicesDeps, scope: AdminScope, establishmentId: string, input: { name?: unknown; code?: unknown }, actor: ServicesActor): Promise<Service> {
  const subject = establishmentSubject(establishmentId.slice(0, 100));
  return attempt(deps, actor, { action: 'service.create', subject }, async () => {
    const establishment = await establishmentInScope(deps, scope, actor, establishmentId);
    const { name, code } = readService(input);
    const now = deps.clock.now().getTime();
    const service: Service = { id: deps.random.uuid(), establishmentId: establishment.id, name, code, createdAt: now, updatedAt: now };
    await deps.storage
      .transaction(async (repos) => {
        await repos.services.insert(service);
        await recordIn(deps, repos, actor, { action: 'service.create', subject, details: { establishmentId: establishment.id, serviceId: service.id, name, code } });
      })
      .catch(duplicate);
    return service;
  });
}

export async function updateService(deps: ServicesDeps, scope: AdminScope, id: string, input: { name?: unknown; code?: unknown }, actor: ServicesActor): Promise<Service> {
  return attempt(deps, actor, { action: 'service.update', subject: `service:${id.slice(0, 100)}` }, async () => {
    const service = await serviceInScope(deps, scope, actor, id);
    const { name, code } = readService(input);
    const now = deps.clock.now().getTime();
    await deps.storage
      .transaction(async (repos) => {
        if (!(await repos.services.update(service.id, name, code, now))) throw new NotFoundError('service_not_found', `no service ${id}`);
        await recordIn(deps, repos, actor, {
          action: 'service.update',
          subject: establishmentSubject(service.establishmentId),
          details: { establishmentId: service.establishmentId, serviceId: service.id, from: { name: service.name, code: service.code }, to: { name, code } },
        });
      })
      .catch(duplicate);
    return { ...service, name, code, updatedAt: now };
  });
}

/** Deletes the service: its members lose what it gave them at the next request. */
export async function deleteService(deps: ServicesDeps, scope: AdminScope, id: string, actor: ServicesActor): Promise<{ id: string; members: number }> {
  return attempt(deps, actor, { action: 'service.delete', subject: `service:${id.slice(0, 100)}` }, async () => {
    const service = await serviceInScope(deps, scope, actor, id);
    return deps.storage.transaction(async (repos) => {
      const members = (await repos.services.members(service.id)).length;
      if (!(await repos.services.delete(service.id))) throw new NotFoundError('service_not_found', `no service ${id}`);
      await recordIn(deps, repos, actor, {
        action: 'service.delete',
        subject: establishmentSubject(service.establishmentId),
        details: { establishmentId: service.establishmentId, serviceId: service.id, name: service.name, members },
      });
      return { id: service.id, members };
    });
  });
}

/** Attaches a person of the service's establishment to it. */
export async function addMember(deps: ServicesDeps, scope: AdminScope, serviceId: string, person: string, actor: ServicesActor): Promise<{ added: boolean }> {
  return attempt(deps, actor, { action: 'service.member.add', subject: person.slice(0, 200), details: { serviceId: serviceId.slice(0, 100) } }, async () => {
    const service = await serviceInScope(deps, scope, actor, serviceId);
    const member = await personInScope(deps, scope, actor, person);
    if (member.establishmentId !== service.establishmentId) throw new BadRequestError('not_member_of_establishment', `${member.identifier} does not belong to the service's establishment`);
    return deps.storage.transaction(async (repos) => {
      const added = await repos.services.addMember(service.id, member.id, actor.name, deps.clock.now().getTime());
      if (added) {
        await recordIn(deps, repos, actor, {
          action: 'service.member.add',
          subject: member.identifier,
          details: { establishmentId: service.establishmentId, serviceId: service.id, service: service.name },
        });
      }
      return { added };
    });
  });
}

/** Detaches a person: what the service gave them stops at their next request. */
export async function removeMember(deps: ServicesDeps, scope: AdminScope, serviceId: string, person: string, actor: ServicesActor): Promise<void> {
  return attempt(deps, actor, { action: 'service.member.remove', subject: person.slice(0, 200), details: { serviceId: serviceId.slice(0, 100) } }, async () => {
    const service = await serviceInScope(deps, scope, actor, serviceId);
    const member = await personInScope(deps, scope, actor, person);
    await deps.storage.transaction(async (repos) => {
      if (!(await repos.services.removeMember(service.id, member.id))) throw new NotFoundError('not_a_member', `${member.identifier} is not in ${service.name}`);
      await recordIn(deps, repos, actor, {
        action: 'service.member.remove',
        subject: member.identifier,
        details: { establishmentId: service.establishmentId, serviceId: service.id, service: service.name },
      });
    });
  });
}

/** Grants an application to a service — one the cell allows the establishment to grant. */
export async function grantToService(deps: ServicesDeps, scope: AdminScope, serviceId: string, applicationId: string, actor: ServicesActor): Promise<{ added: boolean }> {
  const appId = applicationId.slice(0, 100);
  return attempt(deps, actor, { action: 'service.grant', subject: `service:${serviceId.slice(0, 100)}`, applicationId: appId }, async () => {
    const service = await serviceInScope(deps, scope, actor, serviceId);
    if (!deps.config.applications.some((a) => a.id === appId)) throw new NotFoundError('application_not_found', `no application ${appId}`);
    if (!(await deps.storage.delegation.allowedApplications(service.establishmentId)).includes(appId)) {
      throw new ConflictError('application_not_allowed', `the cell does not let this establishment grant ${appId}`);
    }
    return deps.storage.transaction(async (repos) => {
      const added = await repos.services.grant(service.id, appId, actor.name, deps.clock.now().getTime());
      if (added) {
        await recordIn(deps, repos, actor, {
          action: 'service.grant',
          subject: establishmentSubject(service.establishmentId),
          applicationId: appId,
          details: { establishmentId: service.establishmentId, serviceId: service.id, service: service.name },
        });
      }
      return { added };
    });
  });
}

export async function revokeFromService(deps: ServicesDeps, scope: AdminScope, serviceId: string, applicationId: string, actor: ServicesActor): Promise<void> {
  const appId = applicationId.slice(0, 100);
  return attempt(deps, actor, { action: 'service.revoke', subject: `service:${serviceId.slice(0, 100)}`, applicationId: appId }, async () => {
    const service = await serviceInScope(deps, scope, actor, serviceId);
    await deps.storage.transaction(async (repos) => {
      if (!(await repos.services.revoke(service.id, appId))) throw new NotFoundError('not_granted', `${service.name} does not have ${appId}`);
      await recordIn(deps, repos, actor, {
        action: 'service.revoke',
        subject: establishmentSubject(service.establishmentId),
        applicationId: appId,
        details: { establishmentId: service.establishmentId, serviceId: service.id, service: service.name },
      });
    });
  });
}

/** What the assertion's `services` claim carries: each service's code, or its name when it has none. */
export async function servicesClaim(deps: Pick<ServicesDeps, 'storage'>, userId: string, establishmentId: string | null): Promise<string[]> {
  if (!establishmentId) return [];
  return (await deps.storage.services.membershipsOf(userId)).filter((m) => m.establishmentId === establishmentId).map((m) => m.serviceCode ?? m.serviceName);
}
