export { PeopleListPage, type PeopleListProps } from './list.tsx';
export { PersonPage, reasonText, type PersonPageProps } from './person.tsx';
export { ConfirmPage, type ConfirmPageProps } from './confirm.tsx';
export { InvitePage, type InvitePageProps } from './invite.tsx';
export { ActionError, StatusBadge, errorText, noticeText, statusLabel, groupSerial, PEOPLE_NOTICES, type PeopleNotice, type PeoplePageBase } from './parts.tsx';
