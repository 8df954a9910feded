import type { Db } from '../db.ts';
import type { EmailChange } from '../../model/index.ts';
import { camel } from './rows.ts';

/** Owns (writes): email_changes. */
export class EmailChangeRepository {
  constructor(private readonly db: Db) {}

  async insert(c: Pick<EmailChange, 'id' | 'userId' | 'newEmail' | 'tokenHash' | 'expiresAt' | 'createdAt'>): Promise<void> {
    await this.db.run('INSERT INTO email_changes (id, user_id, new_email, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)', [c.id, c.userId, c.newEmail, c.tokenHash, c.expiresAt, c.createdAt]);
  }

  async findById(id: string): Promise<EmailChange | undefined> {
    return camel<EmailChange>(await this.db.get('SELECT * FROM email_changes WHERE id = ?', [id]));
  }

  /** Confirms once, before expiry. */
  async confirm(id: string, now: number): Promise<boolean> {
    return (await this.db.run('UPDATE email_changes SET confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL AND expires_at > ?', [now, id, now])).changes === 1;
  }
}
