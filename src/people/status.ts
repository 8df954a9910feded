import type { Param } from '../storage/index.ts';

/**
 * What the console shows for an account: one status each, derived from the stored state.
 * The six make a partition (a person is in exactly one), so the filters never overlap:
 *
 * - invitation_expired: provisional, and the provisional password has expired (invited or not);
 * - invitation_sent: provisional, invited by the cell and never activated (terms not yet accepted);
 * - provisional: any other provisional account (approved registration, unlocked, forgotten password);
 * - active, locked, deactivated: the stored status.
 */
export const PERSON_STATUSES = ['invitation_sent', 'invitation_expired', 'provisional', 'active', 'locked', 'deactivated'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

export interface StatusFields {
  status: 'provisional' | 'active' | 'locked' | 'deactivated';
  provisionalExpiresAt: number | null;
  invitedAt: number | null;
  termsAcceptedAt: number | null;
}

export function personStatus(user: StatusFields, now: number): PersonStatus {
  if (user.status !== 'provisional') return user.status;
  if (user.provisionalExpiresAt != null && Number(user.provisionalExpiresAt) <= now) return 'invitation_expired';
  if (user.invitedAt != null && user.termsAcceptedAt == null) return 'invitation_sent';
  return 'provisional';
}

/** The same rule as SQL over `users` (alias `u`), for the filters. */
export function statusCondition(status: PersonStatus, now: number): { sql: string; params: Param[] } {
  const pending = '(u.provisional_expires_at IS NULL OR u.provisional_expires_at > ?)';
  const invited = '(u.invited_at IS NOT NULL AND u.terms_accepted_at IS NULL)';
  switch (status) {
    case 'invitation_expired':
      return { sql: "u.status = 'provisional' AND u.provisional_expires_at <= ?", params: [now] };
    case 'invitation_sent':
      return { sql: `u.status = 'provisional' AND ${pending} AND ${invited}`, params: [now] };
    case 'provisional':
      return { sql: `u.status = 'provisional' AND ${pending} AND NOT ${invited}`, params: [now] };
    default:
      return { sql: 'u.status = ?', params: [status] };
  }
}

export function isPersonStatus(value: unknown): value is PersonStatus {
  return typeof value === 'string' && (PERSON_STATUSES as readonly string[]).includes(value);
}
