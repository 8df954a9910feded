export { issueTicket, redeemTicket, ticketHash, SSO_AUDIT_ACTION, SSO_LOGIN_METHOD, TICKET_TTL_MS } from './tickets.ts';
export type { IssueInput, IssueOutcome, IssueRefusal, RedeemInput, RedeemOutcome, RedeemRefusal, SsoDeps } from './tickets.ts';
