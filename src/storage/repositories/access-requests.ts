import type { Db } from '../db.ts';
import { where } from './where.ts';
import type { AccessRequest } from '../../model/index.ts';
import { camel, camelAll } from './rows.ts';
import { decide } from './decisions.ts';

/** Owns (writes): access_requests. */
export class AccessRequestRepository {
  constructor(private readonly db: Db) {}

  async insert(r: Pick<AccessRequest, 'id' | 'userId' | 'applicationId' | 'createdAt'>): Promise<void> {
    await this.db.run("INSERT INTO access_requests (id, user_id, application_id, status, created_at) VALUES (?, ?, ?, 'pending', ?)", [r.id, r.userId, r.applicationId, r.createdAt]);
  }

  async findById(id: string): Promise<AccessRequest | undefined> {
    return camel<AccessRequest>(await this.db.get('SELECT * FROM access_requests WHERE id = ?', [id]));
  }

  async findPending(userId: string, applicationId: string): Promise<AccessRequest | undefined> {
    return camel<AccessRequest>(await this.db.get("SELECT * FROM access_requests WHERE user_id = ? AND application_id = ? AND status = 'pending'", [userId, applicationId]));
  }

  async list(filter: { status?: AccessRequest['status']; userId?: string } = {}, limit = 200): Promise<AccessRequest[]> {
    const w = where([
      ['status = ?', filter.status],
      ['user_id = ?', filter.userId],
    ]);
    return camelAll(await this.db.all(`SELECT * FROM access_requests ${w.sql} ORDER BY created_at LIMIT ?`, [...w.params, limit]));
  }

  grant(id: string, by: string, at: number): Promise<boolean> {
    return decide(this.db, 'access_requests', id, 'granted', { by, at, reason: null });
  }

  reject(id: string, reason: string, by: string, at: number): Promise<boolean> {
    return decide(this.db, 'access_requests', id, 'rejected', { by, at, reason });
  }
}
