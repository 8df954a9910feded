import type { Repositories, Storage } from '../storage/index.ts';
import type { User } from '../model/index.ts';
import type { CertificateContext } from '../authentication/certificate.ts';
import { accountDenial } from '../authentication/certificate.ts';
import type { DenialReason } from '../authentication/denials.ts';

export type AccessDecision = { allowed: true; user: User } | { allowed: false; reason: DenialReason; user?: User };

/**
 * Whether the person may use the application: an individual grant, or a service of their
 * establishment that has it (while they belong to it and the cell allows it there).
 */
export async function hasAccess(repos: Pick<Repositories, 'grants' | 'services'>, userId: string, applicationId: string): Promise<boolean> {
  return (await repos.grants.isGranted(userId, applicationId)) || (await repos.services.grantsAccess(userId, applicationId));
}

/** Every application the person may use (portal tiles), individual grants and services alike. */
export async function accessibleApplications(repos: Pick<Repositories, 'grants' | 'services'>, userId: string): Promise<Set<string>> {
  const [grants, services] = await Promise.all([repos.grants.listByUser(userId), repos.services.accessOf(userId)]);
  return new Set([...grants.filter((g) => g.status === 'granted').map((g) => g.applicationId), ...services.map((s) => s.applicationId)]);
}

/**
 * Deny by default: the signed-in account must still exist and be active, still match the
 * certificate (owner, or member of the workstation's establishment), and hold a grant — its
 * own or one of its services'. Checked on every request so a lock, a deactivation, a withdrawn
 * grant or a left service applies at once.
 */
export async function decideAccess(storage: Storage, certificate: CertificateContext, userId: string, applicationId: string): Promise<AccessDecision> {
  const user = await storage.users.findById(userId);
  if (!user) return { allowed: false, reason: 'certificate_unknown' };
  const denial = accountDenial(user);
  if (denial) return { allowed: false, reason: denial, user };
  if (certificate.owner && certificate.owner.id !== user.id) return { allowed: false, reason: 'certificate_unknown', user };
  if (certificate.establishment && user.establishmentId !== certificate.establishment.id) return { allowed: false, reason: 'not_member_of_establishment', user };
  if (!(await hasAccess(storage, user.id, applicationId))) return { allowed: false, reason: 'no_access', user };
  return { allowed: true, user };
}

/**
 * The same rule for a session opened without a certificate (Pro Santé Connect, issue 12): the
 * account must still exist and be active and hold a grant — checked on every request, so a
 * deactivation ends the session at once.
 */
export async function decideAccountAccess(storage: Storage, userId: string, applicationId: string): Promise<AccessDecision> {
  const user = await storage.users.findById(userId);
  if (!user) return { allowed: false, reason: 'account_deactivated' };
  const denial = accountDenial(user);
  if (denial) return { allowed: false, reason: denial, user };
  if (!(await storage.grants.isGranted(user.id, applicationId))) return { allowed: false, reason: 'no_access', user };
  return { allowed: true, user };
}
