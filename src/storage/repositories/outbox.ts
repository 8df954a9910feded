import type { Db } from '../db.ts';
import type { OutboxMessage } from '../../model/index.ts';
import { camel, camelAll } from './rows.ts';

export type NewOutboxMessage = Pick<OutboxMessage, 'id' | 'recipient' | 'template' | 'lang' | 'payload' | 'createdAt'> & { nextAttemptAt?: number };

/** Owns (writes): outbox. The transactional outbox: rows written with the change that causes them, sent by a worker. */
export class OutboxRepository {
  constructor(private readonly db: Db) {}

  async enqueue(m: NewOutboxMessage): Promise<void> {
    await this.db.run("INSERT INTO outbox (id, recipient, template, lang, payload, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)", [
      m.id,
      m.recipient,
      m.template,
      m.lang,
      m.payload,
      m.nextAttemptAt ?? m.createdAt,
      m.createdAt,
    ]);
  }

  /**
   * Claims due messages for `leaseMs`: pending ones whose time has come, and 'sending' ones
   * whose lease ran out (a worker that crashed mid-send). Each claim is a compare-and-swap,
   * so two workers never send the same message.
   */
  async claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    const candidates = await this.db.all<{ id: string; attempts: number }>(
      "SELECT id, attempts FROM outbox WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND locked_until <= ?) ORDER BY next_attempt_at, created_at LIMIT ?",
      [now, now, limit],
    );
    const claimed: OutboxMessage[] = [];
    for (const c of candidates) {
      const row = camel<OutboxMessage>(
        await this.db.get(
          "UPDATE outbox SET status = 'sending', locked_until = ?, attempts = attempts + 1 WHERE id = ? AND attempts = ? AND ((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND locked_until <= ?)) RETURNING *",
          [now + leaseMs, c.id, c.attempts, now, now],
        ),
      );
      if (row) claimed.push(row);
    }
    return claimed;
  }

  /**
   * Sent: the payload (which may hold a code or a password) is scrubbed. Only the holder of
   * the claim (same attempt number) may record the outcome; false when another worker took
   * the message over after the lease.
   */
  async markSent(id: string, attempts: number, now: number): Promise<boolean> {
    const r = await this.db.run(
      "UPDATE outbox SET status = 'sent', sent_at = ?, locked_until = NULL, last_error = NULL, payload = '{}' WHERE id = ? AND status = 'sending' AND attempts = ?",
      [now, id, attempts],
    );
    return r.changes === 1;
  }

  async markRetry(id: string, attempts: number, error: string, nextAttemptAt: number, failed: boolean): Promise<boolean> {
    const r = await this.db.run("UPDATE outbox SET status = ?, next_attempt_at = ?, locked_until = NULL, last_error = ? WHERE id = ? AND status = 'sending' AND attempts = ?", [
      failed ? 'failed' : 'pending',
      nextAttemptAt,
      error.slice(0, 500),
      id,
      attempts,
    ]);
    return r.changes === 1;
  }

  /** A failed message goes back to the queue (console "retry"). */
  async retry(id: string, now: number): Promise<boolean> {
    return (await this.db.run("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ? AND status = 'failed'", [now, id])).changes === 1;
  }

  async findById(id: string): Promise<OutboxMessage | undefined> {
    return camel<OutboxMessage>(await this.db.get('SELECT * FROM outbox WHERE id = ?', [id]));
  }

  async list(status?: OutboxMessage['status'], limit = 200): Promise<OutboxMessage[]> {
    return status
      ? camelAll(await this.db.all('SELECT * FROM outbox WHERE status = ? ORDER BY created_at LIMIT ?', [status, limit]))
      : camelAll(await this.db.all('SELECT * FROM outbox ORDER BY created_at DESC LIMIT ?', [limit]));
  }

  async count(status: OutboxMessage['status']): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE status = ?', [status]))?.n ?? 0);
  }
}
