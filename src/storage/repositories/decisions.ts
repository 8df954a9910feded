import type { Db } from '../db.ts';

/**
 * Shared by the owners of registrations, certificate_requests and access_requests (each calls it
 * for its own table only).
 * pending → approved | rejected (or granted), once: the conditional UPDATE means two
 * coordinators deciding at the same moment cannot both win.
 */
export async function decide(db: Db, table: 'registrations' | 'certificate_requests' | 'access_requests', id: string, status: string, decision: { by: string; at: number; reason: string | null }, extra: Record<string, string | null> = {}): Promise<boolean> {
  const columns = Object.keys(extra);
  const sets = ['status = ?', 'decided_by = ?', 'decided_at = ?', 'decision_reason = ?', ...columns.map((c) => `${c} = ?`)];
  const r = await db.run(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = ? AND status = 'pending'`, [status, decision.by, decision.at, decision.reason, ...columns.map((c) => extra[c] ?? null), id]);
  return r.changes === 1;
}
