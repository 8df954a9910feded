import type { Db } from '../db.ts';
import type { Grant } from '../../model/index.ts';
import { camelAll } from './rows.ts';

/** Owns (writes): grants. */
export class GrantRepository {
  constructor(private readonly db: Db) {}

  /** Grants access, or restores a revoked grant. */
  async grant(userId: string, applicationId: string, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO grants (user_id, application_id, status, created_at, updated_at) VALUES (?, ?, 'granted', ?, ?)
       ON CONFLICT (user_id, application_id) DO UPDATE SET status = 'granted', updated_at = excluded.updated_at`,
      [userId, applicationId, now, now],
    );
  }

  async revoke(userId: string, applicationId: string, now: number): Promise<boolean> {
    const r = await this.db.run("UPDATE grants SET status = 'revoked', updated_at = ? WHERE user_id = ? AND application_id = ? AND status = 'granted'", [
      now,
      userId,
      applicationId,
    ]);
    return r.changes === 1;
  }

  async isGranted(userId: string, applicationId: string): Promise<boolean> {
    const row = await this.db.get("SELECT 1 AS ok FROM grants WHERE user_id = ? AND application_id = ? AND status = 'granted'", [userId, applicationId]);
    return row !== undefined;
  }

  async listByUser(userId: string): Promise<Grant[]> {
    return camelAll(await this.db.all('SELECT * FROM grants WHERE user_id = ? ORDER BY application_id', [userId]));
  }
}
