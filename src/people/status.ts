import { PERSON_STATUSES, type PersonStatus } from '../model/people.ts';

/**
 * What the console shows for an account: one status each, derived from the stored state.
 * The six make a partition (a person is in exactly one), so the filters never overlap:
 *
 * - invitation_expired: provisional, and the provisional password has expired (invited or not);
 * - invitation_sent: provisional, invited by the cell and never activated (terms not yet accepted);
 * - provisional: any other provisional account (approved registration, unlocked, forgotten password);
 * - active, locked, deactivated: the stored status.
 */
export { PERSON_STATUSES, type PersonStatus };

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

export function isPersonStatus(value: unknown): value is PersonStatus {
  return typeof value === 'string' && (PERSON_STATUSES as readonly string[]).includes(value);
}
