import type { Db } from '../db.ts';
import { where } from './where.ts';
import type { AuditEvent, AuditEventInput, AuditFilter } from '../../model/index.ts';

export interface AuditRow {
  id: number;
  at: number;
  action: string;
  outcome: AuditEvent['outcome'];
  reason: string | null;
  actor: string | null;
  ip: string | null;
  certificate_serial: string | null;
  application_id: string | null;
  subject: string | null;
  details: string | null;
  request_id: string | null;
}

/** Owns (writes): audit_events. Append-only: the schema refuses UPDATE and DELETE on this table. */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  async append(event: AuditEventInput, at: number): Promise<void> {
    await this.db.run(
      `INSERT INTO audit_events (at, action, outcome, reason, actor, ip, certificate_serial, application_id, subject, details, request_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        at,
        event.action,
        event.outcome,
        event.reason ?? null,
        event.actor ?? null,
        event.ip ?? null,
        event.certificateSerial ?? null,
        event.applicationId ?? null,
        event.subject ?? null,
        event.details ? JSON.stringify(event.details) : null,
        event.requestId ?? null,
      ],
    );
  }

  async list(filter: AuditFilter = {}): Promise<AuditEvent[]> {
    const w = where([
      ['action = ?', filter.action],
      ['subject = ?', filter.subject],
      ['actor = ?', filter.actor],
      ['application_id = ?', filter.applicationId],
      ['ip = ?', filter.ip],
      ['at >= ?', filter.since],
      ['at < ?', filter.until],
    ]);
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 10_000);
    const rows = await this.db.all<AuditRow>(`SELECT * FROM audit_events ${w.sql} ORDER BY id DESC LIMIT ?`, [...w.params, limit]);
    return rows.map(auditEventFromRow);
  }
}

/** A stored audit row as the domain sees it (numbers from either driver, details parsed). */
export function auditEventFromRow(r: AuditRow): AuditEvent {
  return {
    id: Number(r.id),
    at: Number(r.at),
    action: r.action,
    outcome: r.outcome,
    reason: r.reason,
    actor: r.actor,
    ip: r.ip,
    certificateSerial: r.certificate_serial,
    applicationId: r.application_id,
    subject: r.subject,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
    requestId: r.request_id ?? null,
  };
}
