import type { Storage } from '../storage/index.ts';
import type { User } from '../model/index.ts';
import type { DenialReason } from '../authentication/denials.ts';
import { decideAccountAccess } from '../authorization/access.ts';
import { findCardHolder } from '../cps/holders.ts';
import type { RegistrationPrefill } from '../cps/prefill.ts';
import { professionLabel } from './claims.ts';
import type { PscSignIn } from './client.ts';

export type PscSignInDecision =
  | { kind: 'allowed'; user: User }
  /** No account carries this RPPS: the registration form, prefilled from the claims. */
  | { kind: 'unknown'; prefill: RegistrationPrefill }
  /** Several live accounts carry it: the cell sorts it out, nobody is guessed. */
  | { kind: 'ambiguous' }
  | { kind: 'denied'; reason: DenialReason; user: User | undefined };

/**
 * Who a Pro Santé Connect sign-in is, as for a CPS card: the account whose `rpps` is the
 * RPPS of `SubjectNameID` (`8` + RPPS). It must still be active and hold a grant for the
 * application — the same rule the gateway applies on every request.
 */
export async function decidePscSignIn(storage: Storage, signIn: PscSignIn, applicationId: string): Promise<PscSignInDecision> {
  const { professional } = signIn;
  const holder = await findCardHolder(storage, professional.nationalId);
  if (!holder.ok) {
    if (holder.problem === 'ambiguous_holder') return { kind: 'ambiguous' };
    const profession = professionLabel(professional.professionCodes);
    return { kind: 'unknown', prefill: { givenName: professional.givenName, familyName: professional.familyName, rpps: professional.nationalId.number, ...(profession ? { profession } : {}) } };
  }
  const decision = await decideAccountAccess(storage, holder.user.id, applicationId);
  return decision.allowed ? { kind: 'allowed', user: decision.user } : { kind: 'denied', reason: decision.reason, user: decision.user };
}
