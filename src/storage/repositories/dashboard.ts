import type { Db } from '../db.ts';
import type { DashboardCounts } from '../../model/console.ts';

async function count(db: Db, sql: string, params: Array<string | number> = []): Promise<number> {
  const row = await db.get<{ n: number | string }>(sql, params);
  return Number(row?.n ?? 0);
}

/**
 * Owns (writes): nothing. What waits for the cell. One COUNT each, every one answered from an
 * index: registrations, certificate and access requests by (status, created_at), users by status,
 * certificates by (status, not_after), outbox by (status, next_attempt_at), approvals by
 * (status, requested_at).
 */
export class DashboardRepository {
  constructor(private readonly db: Db) {}

  counts(now: number, expiringWithinDays: number): Promise<DashboardCounts> {
    return dashboardCounts(this.db, now, expiringWithinDays);
  }
}

async function dashboardCounts(db: Db, now: number, expiringWithinDays: number): Promise<DashboardCounts> {
  const [pendingRegistrations, pendingCertificateRequests, pendingAccessRequests, lockedAccounts, expiringCertificates, failedMails, pendingSecondApprovals] = await Promise.all([
    count(db, "SELECT COUNT(*) AS n FROM registrations WHERE status = 'pending'"),
    count(db, "SELECT COUNT(*) AS n FROM certificate_requests WHERE status = 'pending'"),
    count(db, "SELECT COUNT(*) AS n FROM access_requests WHERE status = 'pending'"),
    count(db, "SELECT COUNT(*) AS n FROM users WHERE status = 'locked'"),
    count(db, "SELECT COUNT(*) AS n FROM certificates WHERE status = 'valid' AND not_after > ? AND not_after <= ?", [now, now + expiringWithinDays * 86_400_000]),
    count(db, "SELECT COUNT(*) AS n FROM outbox WHERE status = 'failed'"),
    count(db, "SELECT COUNT(*) AS n FROM console_approvals WHERE status = 'pending'"),
  ]);
  return { pendingRegistrations, pendingCertificateRequests, pendingAccessRequests, lockedAccounts, expiringCertificates, expiringWithinDays, failedMails, pendingSecondApprovals };
}
