import { createHash } from 'node:crypto';
import type { Runtime } from '../core/runtime.ts';
import type { ApplicationConfig } from '../config/index.ts';
import type { User } from '../model/index.ts';
import type { CertificateContext } from '../authentication/certificate.ts';
import { accountDenial } from '../authentication/certificate.ts';
import type { DenialReason } from '../authentication/denials.ts';
import { hasAccess } from '../authorization/access.ts';
import type { SsoTicket } from '../model/sso.ts';

export type SsoDeps = Pick<Runtime, 'config' | 'clock' | 'random' | 'storage' | 'auditor'>;

/** A ticket is carried by one redirect: a minute is plenty, and little for a leaked URL. */
export const TICKET_TTL_MS = 60_000;
const TICKET_BYTES = 32;
/** 32 bytes in base64url, no padding. */
const TICKET_FORMAT = /^[A-Za-z0-9_-]{43}$/;
/** Spent and expired rows are deleted this long after expiry, when a new ticket is issued. */
const PURGE_AFTER_MS = 3_600_000;

/** The audit action of a refused ticket; a ticket that opens a session is a `gateway.login`. */
export const SSO_AUDIT_ACTION = 'gateway.sso';
/** `reason` and `details.method` of the `gateway.login` a ticket opens. */
export const SSO_LOGIN_METHOD = 'sso-ticket';

/*
 * 256 random bits: nobody can guess one, so a fast hash (SHA-256) keeps the stored value useless
 * and still lets the row be found by it; argon2 is for secrets people choose.
 */
export function ticketHash(ticket: string): string {
  return createHash('sha256').update(ticket, 'utf8').digest('hex');
}

export type IssueRefusal = 'unknown_application' | 'account_not_active' | 'no_access';

export type IssueOutcome = { ok: true; ticket: string; expiresAt: number; application: ApplicationConfig } | { ok: false; reason: IssueRefusal };

export interface IssueInput {
  user: User;
  applicationId: string;
  /** When the portal session verified the password. */
  authenticatedAt: number;
  ip: string | null;
}

/** A tile click on the portal: a ticket for this person and this granted application. */
export async function issueTicket(deps: SsoDeps, input: IssueInput): Promise<IssueOutcome> {
  const { user, applicationId, ip } = input;
  const now = deps.clock.now().getTime();
  const application = deps.config.applications.find((a) => a.id === applicationId);
  return deps.storage.transaction(async (repos) => {
    const audit = deps.auditor.with(repos.audit);
    const refuse = async (reason: IssueRefusal): Promise<IssueOutcome> => {
      await audit.record({ action: 'sso.ticket', outcome: 'failure', reason, actor: user.identifier, subject: user.identifier, ip, applicationId: applicationId.slice(0, 100) });
      return { ok: false, reason };
    };
    if (!application) return refuse('unknown_application');
    if (user.status !== 'active') return refuse('account_not_active');
    if (!(await hasAccess(repos, user.id, application.id))) return refuse('no_access');

    const tickets = repos.ssoTickets;
    await tickets.purgeExpired(now - PURGE_AFTER_MS);
    const ticket = deps.random.bytes(TICKET_BYTES).toString('base64url');
    const id = deps.random.uuid();
    const expiresAt = now + TICKET_TTL_MS;
    await tickets.insert({ id, ticketHash: ticketHash(ticket), userId: user.id, applicationId: application.id, authenticatedAt: Math.min(input.authenticatedAt, now), createdAt: now, expiresAt, createdIp: ip });
    await audit.record({ action: 'sso.ticket', outcome: 'success', actor: user.identifier, subject: user.identifier, ip, applicationId: application.id, details: { ticketId: id, expiresAt } });
    return { ok: true, ticket, expiresAt, application };
  });
}

/** Why a ticket did not open a session: the person gets the login form (or the denial page) instead. */
export type RedeemRefusal =
  | 'ticket_missing'
  | 'ticket_unknown'
  | 'ticket_used'
  | 'ticket_expired'
  | 'wrong_application'
  | 'collective_certificate'
  | 'not_personal_certificate'
  | 'other_person';

export type RedeemOutcome =
  | { ok: true; user: User; ticketId: string; authenticatedAt: number }
  | { ok: false; reason: RedeemRefusal; ticketUserId: string | null }
  | { ok: false; reason: 'account_denied'; denial: DenialReason; user: User };

export interface RedeemInput {
  /** As received in the query string; anything but a string reads as missing. */
  ticket: unknown;
  certificate: CertificateContext;
  applicationId: string;
  ip: string | null;
}

/**
 * On the application host: the ticket is spent first (whatever follows, it never works twice),
 * then it opens a session if, and only if, the certificate presented is a personal certificate
 * of the ticket's person, for the application it was issued for. Every outcome is audited.
 */
export async function redeemTicket(deps: SsoDeps, input: RedeemInput): Promise<RedeemOutcome> {
  const { certificate, applicationId, ip } = input;
  const now = deps.clock.now().getTime();
  const holder = certificate.owner;
  const base = { ip, certificateSerial: certificate.record.serial, applicationId };
  return deps.storage.transaction(async (repos) => {
    const audit = deps.auditor.with(repos.audit);
    const refuse = async (reason: RedeemRefusal, ticket?: SsoTicket): Promise<RedeemOutcome> => {
      const ticketUser = ticket ? await repos.users.findById(ticket.userId) : undefined;
      await audit.record({
        action: SSO_AUDIT_ACTION,
        outcome: 'failure',
        reason,
        actor: holder?.identifier ?? null,
        subject: ticketUser?.identifier ?? holder?.identifier ?? null,
        ...base,
        details: { certificateKind: certificate.record.kind, ticketId: ticket?.id ?? null, ticketApplicationId: ticket?.applicationId ?? null },
      });
      return { ok: false, reason, ticketUserId: ticket?.userId ?? null };
    };

    if (input.ticket === undefined || input.ticket === '') return refuse('ticket_missing');
    if (typeof input.ticket !== 'string' || !TICKET_FORMAT.test(input.ticket)) return refuse('ticket_unknown');
    const tickets = repos.ssoTickets;
    const hash = ticketHash(input.ticket);
    const spent = await tickets.spend(hash, now);
    if (!spent) {
      const known = await tickets.findByHash(hash);
      return known ? refuse('ticket_used', known) : refuse('ticket_unknown');
    }
    if (now >= spent.expiresAt) return refuse('ticket_expired', spent);
    if (spent.applicationId !== applicationId) return refuse('wrong_application', spent);
    // A shared workstation proves a machine, not a person: the password is still asked for.
    if (certificate.record.kind === 'collective') return refuse('collective_certificate', spent);
    if (certificate.record.kind !== 'personal' || !holder) return refuse('not_personal_certificate', spent);
    if (holder.id !== spent.userId) return refuse('other_person', spent);

    const denial = accountDenial(holder);
    if (denial) {
      await audit.record({ action: 'gateway.login', outcome: 'failure', reason: denial, actor: holder.identifier, subject: holder.identifier, ...base, details: { certificateKind: certificate.record.kind, method: SSO_LOGIN_METHOD, ticketId: spent.id } });
      return { ok: false, reason: 'account_denied', denial, user: holder };
    }
    await audit.record({ action: 'gateway.login', outcome: 'success', reason: SSO_LOGIN_METHOD, actor: holder.identifier, subject: holder.identifier, ...base, details: { certificateKind: certificate.record.kind, method: SSO_LOGIN_METHOD, ticketId: spent.id } });
    return { ok: true, user: holder, ticketId: spent.id, authenticatedAt: Math.min(spent.authenticatedAt, now) };
  });
}
