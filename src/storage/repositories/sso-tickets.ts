import type { Db } from '../db.ts';
import type { SsoTicket } from '../../model/sso.ts';
import { camel } from './rows.ts';

/** Owns (writes): sso_tickets (migration 008). */
export class SsoTicketRepository {
  constructor(private readonly db: Db) {}

  async insert(t: Omit<SsoTicket, 'usedAt'>): Promise<void> {
    await this.db.run(
      'INSERT INTO sso_tickets (id, ticket_hash, user_id, application_id, authenticated_at, created_at, expires_at, used_at, created_ip) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)',
      [t.id, t.ticketHash, t.userId, t.applicationId, t.authenticatedAt, t.createdAt, t.expiresAt, t.createdIp],
    );
  }

  async findByHash(ticketHash: string): Promise<SsoTicket | undefined> {
    return camel<SsoTicket>(await this.db.get('SELECT * FROM sso_tickets WHERE ticket_hash = ?', [ticketHash]));
  }

  /**
   * Spends the ticket: the row comes back to exactly one caller, whatever the concurrency
   * (compare-and-swap on `used_at`). Expiry is judged by the caller on the returned row, so an
   * expired ticket is spent too and can never be tried again.
   */
  async spend(ticketHash: string, now: number): Promise<SsoTicket | undefined> {
    return camel<SsoTicket>(await this.db.get('UPDATE sso_tickets SET used_at = ? WHERE ticket_hash = ? AND used_at IS NULL RETURNING *', [now, ticketHash]));
  }

  /** Rows expired before `before` are of no use any more (the audit trail keeps the story). */
  async purgeExpired(before: number): Promise<number> {
    return (await this.db.run('DELETE FROM sso_tickets WHERE expires_at < ?', [before])).changes;
  }
}
