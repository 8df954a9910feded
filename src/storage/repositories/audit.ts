import type { Db, Param } from '../db.ts';
import type { AuditEvent, AuditEventInput, AuditFilter } from '../types.ts';

interface AuditRow {
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
}

/** Append-only: the schema refuses UPDATE and DELETE on this table. */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  async append(event: AuditEventInput, at: number): Promise<void> {
    await this.db.run(
      `INSERT INTO audit_events (at, action, outcome, reason, actor, ip, certificate_serial, application_id, subject, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      ],
    );
  }

  async list(filter: AuditFilter = {}): Promise<AuditEvent[]> {
    const where: string[] = [];
    const params: Param[] = [];
    const eq = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      params.push(value);
    };
    eq('action', filter.action);
    eq('subject', filter.subject);
    eq('actor', filter.actor);
    eq('application_id', filter.applicationId);
    eq('ip', filter.ip);
    if (filter.since !== undefined) {
      where.push('at >= ?');
      params.push(filter.since);
    }
    if (filter.until !== undefined) {
      where.push('at < ?');
      params.push(filter.until);
    }
    params.push(Math.min(Math.max(filter.limit ?? 100, 1), 10_000));
    const rows = await this.db.all<AuditRow>(
      `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      params,
    );
    return rows.map((r) => ({
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
    }));
  }
}
