/** The people of the platform as the coordination cell sees them: search, a person's page, actions, invitations. */
export type { PeopleDeps, PeopleActor } from './deps.ts';
export { PERSON_STATUSES, personStatus, isPersonStatus, type PersonStatus } from './status.ts';
export { searchPeople, COUNT_CAP, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PeopleQuery, type PeoplePage, type PersonSummary } from './search.ts';
export { getPerson, requirePerson, STATUS_ACTIONS, type PersonView, type EventView } from './person.ts';
export {
  updateIdentity,
  unlockPerson,
  deactivatePerson,
  reactivatePerson,
  resendActivation,
  revokePersonCertificate,
  revokePersonGrant,
  newWithdrawalCode,
  personCertificate,
  establishmentIds,
  INVITATION_DAYS,
  isOfferedReason,
} from './actions.ts';
export { invitePerson, sendInvitationReminders, remindersDue, REMINDER_DAYS, type CreatedInvitation } from './invitations.ts';
export { readIdentity, readInvitation, valueOrThrow, type IdentityForm, type InvitationForm, type Invitation } from './forms.ts';
