import { createCollectiveRequest, getCertificateRequest, type CertificateRequestView, type CreatedCollectiveRequest } from '../approval/index.ts';
import { requireEmail, requireFiness, requireText } from '../accounts/validation.ts';
import { BadRequestError, ConflictError, NotFoundError, PasserelleError } from '../shared/errors.ts';
import type { Establishment } from '../model/index.ts';
import type { CoordinatorActor, RegistryDeps } from './deps.ts';
import { iso } from '../shared/time.ts';
import type { PersonRow } from '../model/registry.ts';
import { certificateView, type CertificateView } from './certificates.ts';
import { matchesWords } from './search.ts';

export interface EstablishmentView {
  id: string;
  name: string;
  finess: string | null;
  referentEmail: string;
  createdAt: string;
}

export interface EstablishmentListItem extends EstablishmentView {
  people: number;
  collectiveCertificates: number;
}

export interface EstablishmentDetail {
  establishment: EstablishmentView;
  people: PersonRow[];
  /** All the people attached (the list above stops at PEOPLE_SHOWN). */
  peopleTotal: number;
  collectiveCertificates: CertificateView[];
  /** Collective requests not yet withdrawn (pending, or approved with a code out). */
  openRequests: CertificateRequestView[];
}

export interface EstablishmentInput {
  name: string;
  finess?: string | null;
  referentEmail: string;
}

export const PEOPLE_SHOWN = 200;
export const SEARCH_LIMIT = 100;

function view(e: Establishment): EstablishmentView {
  return { id: e.id, name: e.name, finess: e.finess, referentEmail: e.referentEmail, createdAt: iso(e.createdAt)! };
}

/**
 * Establishments whose name or FINESS matches every word of `q` (accents and case aside),
 * by name. A region has hundreds to a few thousand: they are filtered in memory, which
 * keeps the accent folding identical on SQLite and PostgreSQL.
 */
export async function searchEstablishments(deps: RegistryDeps, q: string | undefined, limit = SEARCH_LIMIT): Promise<{ items: EstablishmentListItem[]; total: number }> {
  const repo = deps.storage.registry;
  const all = await repo.allEstablishments();
  const query = q?.trim() ?? '';
  const matching = query ? all.filter((e) => matchesWords(`${e.name} ${e.finess ?? ''}`, query)) : all;
  const shown = matching.slice(0, limit);
  const counts = await repo.establishmentCounts(shown.map((e) => e.id));
  return { items: shown.map((e) => ({ ...view(e), ...counts.get(e.id)! })), total: matching.length };
}

export async function requireEstablishment(deps: RegistryDeps, id: string): Promise<Establishment> {
  const establishment = (await deps.storage.establishments.findById(id)) ?? (await deps.storage.establishments.findByFiness(id.trim().toUpperCase()));
  if (!establishment) throw new NotFoundError('establishment_not_found', `no establishment ${id}`);
  return establishment;
}

export async function getEstablishment(deps: RegistryDeps, id: string): Promise<EstablishmentDetail> {
  const establishment = await requireEstablishment(deps, id);
  const repo = deps.storage.registry;
  const { people, total } = await repo.peopleOfEstablishment(establishment.id, PEOPLE_SHOWN);
  const now = deps.clock.now().getTime();
  const certificates = (await repo.collectiveCertificates(establishment.id)).map((c) => certificateView(c, now));
  const open = [
    ...(await deps.storage.certificateRequests.list({ status: 'pending', establishmentId: establishment.id })),
    ...(await deps.storage.certificateRequests.list({ status: 'approved', establishmentId: establishment.id })),
  ];
  const requests: CertificateRequestView[] = [];
  for (const r of open) requests.push(await getCertificateRequest(deps, r.id));
  return { establishment: view(establishment), people, peopleTotal: total, collectiveCertificates: certificates, openRequests: requests };
}

/**
 * Every field checked, so a form can show all its problems at once: one problem is thrown as
 * it is; several as the first one's code with `details.problems` listing each field.
 */
function validated(input: EstablishmentInput): { name: string; finess: string | null; referentEmail: string } {
  const problems: PasserelleError[] = [];
  const check = <T>(fn: () => T): T | null => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof PasserelleError)) throw error;
      problems.push(error);
      return null;
    }
  };
  const name = check(() => requireText(input.name, 'name'));
  const finess = check(() => (input.finess?.trim() ? requireFiness(input.finess) : null));
  const referentEmail = check(() => requireEmail(requireText(input.referentEmail, 'referentEmail', 254), 'referentEmail'));
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) {
    throw new BadRequestError(problems[0]!.code, problems.map((p) => p.message).join('; '), { problems: problems.map((p) => ({ field: p.details?.field, code: p.code })) });
  }
  return { name: name!, finess, referentEmail: referentEmail! };
}

/** New establishment (validated, FINESS unique, audited) through the account service. */
export async function createEstablishment(deps: RegistryDeps, input: EstablishmentInput, actor: CoordinatorActor): Promise<EstablishmentView> {
  return view(await deps.accounts.createEstablishment(validated(input), actor));
}

/** Name, FINESS (validated, unique) and referent e-mail; the change is audited with what it was before. */
export async function updateEstablishment(deps: RegistryDeps, id: string, input: EstablishmentInput, actor: CoordinatorActor): Promise<EstablishmentView> {
  const current = await requireEstablishment(deps, id);
  const next = validated(input);
  return deps.storage.transaction(async (repos) => {
    if (next.finess) {
      const holder = await repos.establishments.findByFiness(next.finess);
      if (holder && holder.id !== current.id) throw new ConflictError('finess_exists', `an establishment with FINESS ${next.finess} already exists`);
    }
    await repos.establishments.update({ id: current.id, ...next });
    const changed = (['name', 'finess', 'referentEmail'] as const).filter((k) => current[k] !== next[k]);
    await deps.auditor.with(repos.audit).record({
      action: 'establishment.update',
      outcome: changed.length ? 'success' : 'info',
      reason: changed.length ? null : 'unchanged',
      actor: actor.name,
      ip: actor.ip ?? null,
      certificateSerial: actor.certificateSerial ?? null,
      subject: `establishment:${current.id}`,
      details: { changed, before: Object.fromEntries(changed.map((k) => [k, current[k]])), after: Object.fromEntries(changed.map((k) => [k, next[k]])) },
    });
    return view({ ...current, ...next });
  });
}

/**
 * A collective certificate request for a named shared workstation. With `approve` (the
 * console's default) it is approved at once: the withdrawal code and its password go to the
 * establishment's referent, never to a person.
 */
export async function requestCollectiveCertificate(deps: RegistryDeps, id: string, input: { label: string; approve: boolean }, actor: CoordinatorActor): Promise<CreatedCollectiveRequest> {
  const establishment = await requireEstablishment(deps, id);
  return createCollectiveRequest(deps, { establishmentId: establishment.id, label: input.label, approve: input.approve }, actor);
}

/**
 * Deletes an establishment nothing refers to (a mistaken creation). One that has people,
 * certificates, requests or registrations stays: its history matters (409 establishment_in_use).
 */
export async function deleteEstablishment(deps: RegistryDeps, id: string, actor: CoordinatorActor): Promise<EstablishmentView> {
  const establishment = await requireEstablishment(deps, id);
  const event = { action: 'establishment.delete', actor: actor.name, ip: actor.ip ?? null, certificateSerial: actor.certificateSerial ?? null, subject: `establishment:${establishment.id}` };
  const inUse = () => new ConflictError('establishment_in_use', `establishment ${establishment.id} has people, certificates, requests or registrations: it cannot be deleted`);
  const references = await deps.storage.registry.establishmentReferences(establishment.id);
  if (Object.values(references).some((k) => k > 0)) {
    await deps.auditor.record({ ...event, outcome: 'failure', reason: 'establishment_in_use', details: { references } });
    throw inUse();
  }
  return deps.storage.transaction(async (repos) => {
    // Checked again inside the transaction: someone may have attached a person meanwhile.
    if (Object.values(await repos.registry.establishmentReferences(establishment.id)).some((k) => k > 0)) throw inUse();
    if (!(await repos.establishments.delete(establishment.id))) throw new NotFoundError('establishment_not_found', `no establishment ${id}`);
    await deps.auditor.with(repos.audit).record({ ...event, outcome: 'success', details: { name: establishment.name, finess: establishment.finess, referentEmail: establishment.referentEmail } });
    return view(establishment);
  });
}

/** Whether the console offers deletion (the same rule deleteEstablishment enforces). */
export async function isEstablishmentInUse(deps: RegistryDeps, id: string): Promise<boolean> {
  return Object.values(await deps.storage.registry.establishmentReferences(id)).some((k) => k > 0);
}
