import type { Storage, User } from '../storage/index.ts';
import type { CertificateContext } from '../authentication/certificate.ts';
import { accountDenial } from '../authentication/certificate.ts';
import type { DenialReason } from '../authentication/denials.ts';

export type AccessDecision = { allowed: true; user: User } | { allowed: false; reason: DenialReason; user?: User };

/**
 * Deny by default: the signed-in account must still exist and be active, still match the
 * certificate (owner, or member of the workstation's establishment), and hold a grant.
 * Checked on every request so a lock, a deactivation or a withdrawn grant applies at once.
 */
export async function decideAccess(storage: Storage, certificate: CertificateContext, userId: string, applicationId: string): Promise<AccessDecision> {
  const user = await storage.users.findById(userId);
  if (!user) return { allowed: false, reason: 'certificate_unknown' };
  const denial = accountDenial(user);
  if (denial) return { allowed: false, reason: denial, user };
  if (certificate.owner && certificate.owner.id !== user.id) return { allowed: false, reason: 'certificate_unknown', user };
  if (certificate.establishment && user.establishmentId !== certificate.establishment.id) return { allowed: false, reason: 'not_member_of_establishment', user };
  if (!(await storage.grants.isGranted(user.id, applicationId))) return { allowed: false, reason: 'no_access', user };
  return { allowed: true, user };
}
