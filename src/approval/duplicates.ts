import type { DuplicateCandidate, Registration } from '../model/index.ts';
import type { DuplicateCandidateRepository } from '../storage/index.ts';
import { baseIdentifier } from '../accounts/identifier.ts';

export type DuplicateField = 'email' | 'name' | 'rpps';

/** An account or another registration that looks like the same person: the cell decides. */
export interface Duplicate {
  kind: 'user' | 'registration';
  id: string;
  /** The account's identifier (users only). */
  identifier: string | null;
  givenName: string;
  familyName: string;
  status: string;
  matches: DuplicateField[];
}

/** How many recent registrations are compared with each other. */
const REGISTRATION_WINDOW = 2000;

function nameKey(givenName: string, familyName: string): string | null {
  try {
    return baseIdentifier(givenName, familyName);
  } catch {
    return null;
  }
}

function matches(registration: Registration, key: string | null, other: DuplicateCandidate, otherKey: string | null): DuplicateField[] {
  const found: DuplicateField[] = [];
  if (other.email.trim().toLowerCase() === registration.email.trim().toLowerCase()) found.push('email');
  if (key && key === otherKey) found.push('name');
  if (registration.rpps && other.rpps === registration.rpps) found.push('rpps');
  return found;
}

/**
 * Possible duplicates of each registration: accounts and other registrations with the same
 * e-mail, the same RPPS/ADELI, or the same name once accents and case are set aside
 * (`Hélène Lefèvre` = `helene lefevre`, which is also how identifiers are made, so an
 * account `helene.lefevre` or `helene.lefevre-2` matches by name).
 */
export async function findDuplicates(candidates: DuplicateCandidateRepository, registrations: Registration[]): Promise<Map<string, Duplicate[]>> {
  const result = new Map<string, Duplicate[]>();
  if (registrations.length === 0) return result;
  const others = await candidates.recentRegistrations(REGISTRATION_WINDOW);
  const otherKeys = new Map(others.map((o) => [o.id, nameKey(o.givenName, o.familyName)]));

  for (const registration of registrations) {
    const key = nameKey(registration.givenName, registration.familyName);
    const found: Duplicate[] = [];

    const users = await candidates.accountsMatching({ email: registration.email, rpps: registration.rpps, nameKey: key });
    for (const user of users) {
      // The identifier keeps the name the account was created with: `helene.lefevre-2` is
      // the same name, `helene.lefevre-martin` is not.
      const sameIdentifier = key !== null && (user.identifier === key || (user.identifier?.startsWith(`${key}-`) === true && /^\d+$/.test(user.identifier.slice(key.length + 1))));
      const fields = matches(registration, key, user, sameIdentifier ? key : nameKey(user.givenName, user.familyName));
      if (fields.length) found.push({ kind: 'user', id: user.id, identifier: user.identifier, givenName: user.givenName, familyName: user.familyName, status: user.status, matches: fields });
    }
    for (const other of others) {
      if (other.id === registration.id) continue;
      // An approved registration is already listed as its account.
      if (other.userId && found.some((d) => d.kind === 'user' && d.id === other.userId)) continue;
      const fields = matches(registration, key, other, otherKeys.get(other.id) ?? null);
      if (fields.length) found.push({ kind: 'registration', id: other.id, identifier: null, givenName: other.givenName, familyName: other.familyName, status: other.status, matches: fields });
    }
    result.set(registration.id, found);
  }
  return result;
}
