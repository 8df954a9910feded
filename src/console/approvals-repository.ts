import type { Db } from '../storage/index.ts';
import { camel, camelAll } from '../storage/repositories/rows.ts';

export type ApprovalStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ApprovalRecord {
  id: string;
  action: string;
  targetKind: string;
  targetId: string;
  /** JSON: what the action needs besides the item (e.g. a rejection's reason). */
  params: string;
  /** What the item is, as the second coordinator reads it (a name, a label). */
  summary: string;
  status: ApprovalStatus;
  requestedBy: string;
  requestedByUserId: string;
  requestedIp: string | null;
  requestedAt: number;
  decidedBy: string | null;
  decidedByUserId: string | null;
  decidedIp: string | null;
  decidedAt: number | null;
  error: string | null;
}

export type NewApproval = Pick<ApprovalRecord, 'id' | 'action' | 'targetKind' | 'targetId' | 'params' | 'summary' | 'requestedBy' | 'requestedByUserId' | 'requestedIp' | 'requestedAt'>;

/** console_approvals (migration 004): the four-eyes rule's pending second approvals. */
export class ApprovalRepository {
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
