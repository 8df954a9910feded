import type { Db } from '../db.ts';
import type { ApprovalRecord, ApprovalStatus, NewApproval } from '../../model/console.ts';
import { camel, camelAll } from './rows.ts';

/** Owns (writes): console_approvals (migration 004): the four-eyes rule's pending second approvals. */
export class ConsoleApprovalRepository {
  constructor(private readonly db: Db) {}

  async insert(a: NewApproval): Promise<void> {
    await this.db.run(
      `INSERT INTO console_approvals (id, action, target_kind, target_id, params, summary, status, requested_by, requested_by_user_id, requested_ip, requested_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
      [a.id, a.action, a.targetKind, a.targetId, a.params, a.summary, a.requestedBy, a.requestedByUserId, a.requestedIp, a.requestedAt],
    );
  }

  async findById(id: string): Promise<ApprovalRecord | undefined> {
    return camel<ApprovalRecord>(await this.db.get('SELECT * FROM console_approvals WHERE id = ?', [id]));
  }

  /** The open (pending or running) approval on an item, if any. */
  async findOpen(targetKind: string, targetId: string): Promise<ApprovalRecord | undefined> {
    return camel<ApprovalRecord>(await this.db.get("SELECT * FROM console_approvals WHERE target_kind = ? AND target_id = ? AND status IN ('pending', 'running')", [targetKind, targetId]));
  }

  async openFor(targetKind: string, targetIds: string[]): Promise<ApprovalRecord[]> {
    if (targetIds.length === 0) return [];
    const marks = targetIds.map(() => '?').join(', ');
    return camelAll<ApprovalRecord>(await this.db.all(`SELECT * FROM console_approvals WHERE target_kind = ? AND status IN ('pending', 'running') AND target_id IN (${marks})`, [targetKind, ...targetIds]));
  }

  /** Pending first (oldest first), then the most recent decided ones. */
  async list(status: ApprovalStatus | undefined, limit = 200): Promise<ApprovalRecord[]> {
    return status
      ? camelAll<ApprovalRecord>(await this.db.all(`SELECT * FROM console_approvals WHERE status = ? ORDER BY requested_at ${status === 'pending' ? 'ASC' : 'DESC'} LIMIT ?`, [status, limit]))
      : camelAll<ApprovalRecord>(await this.db.all('SELECT * FROM console_approvals ORDER BY requested_at DESC LIMIT ?', [limit]));
  }

  async countPending(): Promise<number> {
    const row = await this.db.get<{ n: number | string }>("SELECT COUNT(*) AS n FROM console_approvals WHERE status = 'pending'");
    return Number(row?.n ?? 0);
  }

  /** pending → running (confirmed) or cancelled: true for exactly one caller. */
  async decide(id: string, status: 'running' | 'cancelled', by: { name: string; userId: string; ip: string | null }, at: number): Promise<boolean> {
    const r = await this.db.run("UPDATE console_approvals SET status = ?, decided_by = ?, decided_by_user_id = ?, decided_ip = ?, decided_at = ? WHERE id = ? AND status = 'pending'", [status, by.name, by.userId, by.ip, at, id]);
    return r.changes === 1;
  }

  /** running → done | failed, once the action has run. */
  async finish(id: string, status: 'done' | 'failed', error: string | null): Promise<void> {
    await this.db.run("UPDATE console_approvals SET status = ?, error = ? WHERE id = ? AND status = 'running'", [status, error, id]);
  }
}
