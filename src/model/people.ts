import type { User } from './index.ts';

/** The console's view of people: the six statuses (people/status.ts derives them) and the list's rows. */

export const PERSON_STATUSES = ['invitation_sent', 'invitation_expired', 'provisional', 'active', 'locked', 'deactivated'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** An account with the columns migration 005 added. */
export type PersonRow = User & { invitedAt: number | null; invitationReminders: number };

/** One line of the list: what the table shows, plus the sort key for the cursor. */
export interface PersonListRow {
  id: string;
  identifier: string;
  givenName: string;
  familyName: string;
  email: string;
  rpps: string | null;
  profession: string | null;
  role: User['role'];
  status: User['status'];
  provisionalExpiresAt: number | null;
  invitedAt: number | null;
  termsAcceptedAt: number | null;
  lastLoginAt: number | null;
  establishmentId: string | null;
  establishmentName: string | null;
  searchName: string;
}

/** Position in the (search_name, id) order. */
export interface SortKey {
  name: string;
  id: string;
}

/** Prefix ranges on the search keys (already folded / lower-cased by the caller). */
export interface TextMatch {
  /** Folded query: prefix of "family given" or "given family". */
  name: string;
  /** Lower-cased query: prefix of the identifier or the e-mail address. */
  literal: string;
  /** Digits: prefix of the RPPS/ADELI number; null when the query is not a number. */
  digits: string | null;
  /** Establishments whose name matched (decided by the caller). */
  establishmentIds: string[];
}

export interface ListFilter {
  text: TextMatch | null;
  status: PersonStatus | null;
  now: number;
}

export interface UpdatableIdentity {
  givenName: string;
  familyName: string;
  profession: string | null;
  rpps: string | null;
  establishmentId: string | null;
}
