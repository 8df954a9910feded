import type { Db } from '../db.ts';
import type { PasswordReset } from '../../model/index.ts';
import { camel } from './rows.ts';

/** Owns (writes): password_resets (migration 012). */
export class PasswordResetRepository {
  constructor(private readonly db: Db) {}

  async insert(r: Omit<PasswordReset, 'usedAt'>): Promise<void> {
    await this.db.run('INSERT INTO password_resets (id, token_hash, user_id, created_at, expires_at, used_at, created_ip) VALUES (?, ?, ?, ?, ?, NULL, ?)', [
      r.id,
      r.tokenHash,
      r.userId,
      r.createdAt,
      r.expiresAt,
      r.createdIp,
    ]);
  }

  async findByHash(tokenHash: string): Promise<PasswordReset | undefined> {
    return camel<PasswordReset>(await this.db.get('SELECT * FROM password_resets WHERE token_hash = ?', [tokenHash]));
  }

  /**
   * Spends the link: the row comes back to exactly one caller, and only while it is unused and
   * unexpired, whatever the concurrency or the replica (one compare-and-swap statement).
   */
  async spend(tokenHash: string, now: number): Promise<PasswordReset | undefined> {
    return camel<PasswordReset>(await this.db.get('UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING *', [now, tokenHash, now]));
  }

  /** A new link (or a new password) makes the account's other unused links worthless. */
  async spendOthers(userId: string, now: number): Promise<number> {
    return (await this.db.run('UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL', [now, userId])).changes;
  }

  /** Rows expired before `before` are of no use any more (the audit trail keeps the story). */
  async purgeExpired(before: number): Promise<number> {
    return (await this.db.run('DELETE FROM password_resets WHERE expires_at < ?', [before])).changes;
  }
}
