/**
 * The establishment administrator's fence. Anything outside their establishments is answered
 * "not found" (never "forbidden": its existence is not disclosed) and leaves an
 * `establishment.scope` failure row naming who tried what.
 */
import type { PersonRow } from '../model/people.ts';
import type { Service } from '../model/services.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { AdminScope, ServicesActor, ServicesDeps } from './deps.ts';

export function inScope(scope: AdminScope, establishmentId: string | null): boolean {
  return scope.kind === 'region' || (establishmentId !== null && scope.establishmentIds.includes(establishmentId));
}

/** Records the refusal, then throws the "not found" the caller answers with. */
export async function outOfScope(deps: Pick<ServicesDeps, 'auditor'>, actor: ServicesActor, what: string, id: string): Promise<never> {
  await deps.auditor.record({
    action: 'establishment.scope',
    outcome: 'failure',
    reason: 'outside_establishment',
    actor: actor.name,
    ip: actor.ip ?? null,
    certificateSerial: actor.certificateSerial ?? null,
    details: { what, id: id.slice(0, 100) },
  });
  throw new NotFoundError(what === 'person' ? 'user_not_found' : 'not_found', `no ${what} ${id}`);
}

/** The person, if the scope covers their establishment (by id or identifier). */
export async function personInScope(deps: Pick<ServicesDeps, 'storage' | 'auditor'>, scope: AdminScope, actor: ServicesActor, idOrIdentifier: string): Promise<PersonRow> {
  const key = idOrIdentifier.trim().slice(0, 200);
  const found = (await deps.storage.people.findById(key)) ?? (await deps.storage.users.findByIdentifier(key).then((u) => (u ? deps.storage.people.findById(u.id) : undefined)));
  if (!found) throw new NotFoundError('user_not_found', `no person ${key}`);
  if (!inScope(scope, found.establishmentId)) return outOfScope(deps, actor, 'person', key);
  return found;
}

export async function serviceInScope(deps: Pick<ServicesDeps, 'storage' | 'auditor'>, scope: AdminScope, actor: ServicesActor, id: string): Promise<Service> {
  const service = await deps.storage.services.findById(id.slice(0, 100));
  if (!service) throw new NotFoundError('service_not_found', `no service ${id}`);
  if (!inScope(scope, service.establishmentId)) return outOfScope(deps, actor, 'service', id);
  return service;
}

export async function establishmentInScope(deps: Pick<ServicesDeps, 'storage' | 'auditor'>, scope: AdminScope, actor: ServicesActor, id: string): Promise<{ id: string; name: string }> {
  const establishment = await deps.storage.establishments.findById(id.slice(0, 100));
  if (!establishment) throw new NotFoundError('establishment_not_found', `no establishment ${id}`);
  if (!inScope(scope, establishment.id)) return outOfScope(deps, actor, 'establishment', id);
  return establishment;
}
