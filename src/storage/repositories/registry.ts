import type { Db, Param } from '../db.ts';
import type { AuditEvent, CertificateKind, Establishment, OutboxMessage, User } from '../../model/index.ts';
import type { AuditQuery, CertificateQuery, CertificateRow, Cursor, GrantRow, OutboxRow, PendingAccessRow, PersonRow } from '../../model/registry.ts';
import { auditEventFromRow, type AuditRow } from './audit.ts';

/** `%` and `_` typed by a person match themselves. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function conditions(parts: Array<[clause: string, params: Param[]] | null | false>): { sql: string; params: Param[] } {
  const used = parts.filter((p): p is [string, Param[]] => Boolean(p));
  return { sql: used.length ? `WHERE ${used.map(([c]) => `(${c})`).join(' AND ')}` : '', params: used.flatMap(([, p]) => p) };
}

const n = (value: unknown): number => Number(value ?? 0);


const CERTIFICATE_COLUMNS = `c.serial, c.fingerprint_sha256, c.kind, c.label, c.subject, c.not_before, c.not_after, c.status, c.revoked_at, c.revocation_reason,
  c.replaces_serial, c.created_at, c.user_id, u.identifier, u.given_name, u.family_name,
  COALESCE(c.establishment_id, u.establishment_id) AS establishment_id, e.name AS establishment_name`;
const CERTIFICATE_FROM = `FROM certificates c LEFT JOIN users u ON u.id = c.user_id LEFT JOIN establishments e ON e.id = COALESCE(c.establishment_id, u.establishment_id)`;

interface RawCertificateRow {
  serial: string;
  fingerprint_sha256: string;
  kind: CertificateKind;
  label: string;
  subject: string;
  not_before: number;
  not_after: number;
  status: 'valid' | 'revoked';
  revoked_at: number | null;
  revocation_reason: string | null;
  replaces_serial: string | null;
  created_at: number;
  user_id: string | null;
  identifier: string | null;
  given_name: string | null;
  family_name: string | null;
  establishment_id: string | null;
  establishment_name: string | null;
}

function certificateRow(r: RawCertificateRow): CertificateRow {
  return {
    serial: r.serial,
    fingerprintSha256: r.fingerprint_sha256,
    kind: r.kind,
    label: r.label,
    subject: r.subject,
    notBefore: n(r.not_before),
    notAfter: n(r.not_after),
    status: r.status,
    revokedAt: r.revoked_at == null ? null : n(r.revoked_at),
    revocationReason: r.revocation_reason,
    replacesSerial: r.replaces_serial ?? null,
    createdAt: n(r.created_at),
    userId: r.user_id,
    identifier: r.identifier,
    givenName: r.given_name,
    familyName: r.family_name,
    establishmentId: r.establishment_id,
    establishmentName: r.establishment_name,
  };
}

interface RawPerson {
  id: string;
  identifier: string;
  given_name: string;
  family_name: string;
  email: string;
  role: User['role'];
  status: User['status'];
}

function person(r: RawPerson): PersonRow {
  return { id: r.id, identifier: r.identifier, givenName: r.given_name, familyName: r.family_name, email: r.email, role: r.role, status: r.status };
}

/**
 * Owns (writes): nothing. The console registry's read models over the shared tables
 * (establishments, certificates, grants, access requests, audit, outbox); the writes belong
 * to each table's repository. SQL runs unchanged on SQLite and PostgreSQL.
 */
export class RegistryRepository {
  constructor(private readonly db: Db) {}

  // --- establishments -------------------------------------------------------------------

  async allEstablishments(): Promise<Establishment[]> {
    const rows = await this.db.all<{ id: string; name: string; finess: string | null; referent_email: string; created_at: number }>('SELECT * FROM establishments ORDER BY name, id');
    return rows.map((r) => ({ id: r.id, name: r.name, finess: r.finess, referentEmail: r.referent_email, createdAt: n(r.created_at) }));
  }

  /** Rows of other tables that name the establishment (an establishment in use is never deleted). */
  async establishmentReferences(id: string): Promise<Record<'people' | 'certificates' | 'certificateRequests' | 'registrations', number>> {
    const count = async (sql: string) => n((await this.db.get<{ k: number }>(sql, [id]))?.k);
    return {
      people: await count('SELECT COUNT(*) AS k FROM users WHERE establishment_id = ?'),
      certificates: await count('SELECT COUNT(*) AS k FROM certificates WHERE establishment_id = ?'),
      certificateRequests: await count('SELECT COUNT(*) AS k FROM certificate_requests WHERE establishment_id = ?'),
      registrations: await count('SELECT COUNT(*) AS k FROM registrations WHERE establishment_id = ?'),
    };
  }

  /** People and valid collective certificates per establishment, for the ids given. */
  async establishmentCounts(ids: string[]): Promise<Map<string, { people: number; collectiveCertificates: number }>> {
    const out = new Map(ids.map((id) => [id, { people: 0, collectiveCertificates: 0 }]));
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      const marks = chunk.map(() => '?').join(', ');
      for (const r of await this.db.all<{ id: string; k: number }>(`SELECT establishment_id AS id, COUNT(*) AS k FROM users WHERE establishment_id IN (${marks}) GROUP BY establishment_id`, chunk)) {
        out.get(r.id)!.people = n(r.k);
      }
      const certs = await this.db.all<{ id: string; k: number }>(
        `SELECT establishment_id AS id, COUNT(*) AS k FROM certificates WHERE kind = 'collective' AND status = 'valid' AND establishment_id IN (${marks}) GROUP BY establishment_id`,
        chunk,
      );
      for (const r of certs) out.get(r.id)!.collectiveCertificates = n(r.k);
    }
    return out;
  }

  async peopleOfEstablishment(establishmentId: string, limit: number): Promise<{ people: PersonRow[]; total: number }> {
    const rows = await this.db.all<RawPerson>(
      'SELECT id, identifier, given_name, family_name, email, role, status FROM users WHERE establishment_id = ? ORDER BY family_name, given_name, id LIMIT ?',
      [establishmentId, limit],
    );
    const total = n((await this.db.get<{ k: number }>('SELECT COUNT(*) AS k FROM users WHERE establishment_id = ?', [establishmentId]))?.k);
    return { people: rows.map(person), total };
  }

  // --- certificates ---------------------------------------------------------------------

  async findCertificate(serial: string): Promise<CertificateRow | undefined> {
    const row = await this.db.get<RawCertificateRow>(`SELECT ${CERTIFICATE_COLUMNS} ${CERTIFICATE_FROM} WHERE c.serial = ?`, [serial]);
    return row && certificateRow(row);
  }

  /**
   * One page of certificates: newest first, or soonest to expire first when
   * `expiringWithinDays` is set. `after` is the sort key of the previous page's last row.
   */
  async listCertificates(query: CertificateQuery, after: Cursor | null, limit: number): Promise<CertificateRow[]> {
    const { now } = query;
    const expiring = query.expiringWithinDays !== undefined;
    const q = query.q?.trim().toLowerCase();
    const serialPrefix = q ? q.replace(/[:\s]/g, '') : '';
    const w = conditions([
      query.kind ? ['c.kind = ?', [query.kind]] : null,
      query.state === 'valid' && ["c.status = 'valid' AND c.not_after >= ?", [now]],
      query.state === 'expired' && ["c.status = 'valid' AND c.not_after < ?", [now]],
      query.state === 'revoked' && ["c.status = 'revoked'", []],
      expiring && ["c.status = 'valid' AND c.not_after >= ? AND c.not_after < ?", [now, now + query.expiringWithinDays! * 86_400_000]],
      query.establishmentId ? ['c.establishment_id = ? OR u.establishment_id = ?', [query.establishmentId, query.establishmentId]] : null,
      q
        ? [
            "c.serial LIKE ? ESCAPE '\\' OR u.identifier LIKE ? ESCAPE '\\' OR LOWER(c.label) LIKE ? ESCAPE '\\'",
            [`${likeEscape(/^[0-9a-f]+$/.test(serialPrefix) ? serialPrefix : q)}%`, `${likeEscape(q)}%`, `%${likeEscape(q)}%`],
          ]
        : null,
      after && expiring ? ['c.not_after > ? OR (c.not_after = ? AND c.serial > ?)', [after.n, after.n, after.s]] : null,
      after && !expiring ? ['c.created_at < ? OR (c.created_at = ? AND c.serial < ?)', [after.n, after.n, after.s]] : null,
    ]);
    const order = expiring ? 'c.not_after ASC, c.serial ASC' : 'c.created_at DESC, c.serial DESC';
    const rows = await this.db.all<RawCertificateRow>(`SELECT ${CERTIFICATE_COLUMNS} ${CERTIFICATE_FROM} ${w.sql} ORDER BY ${order} LIMIT ?`, [...w.params, limit]);
    return rows.map(certificateRow);
  }

  async collectiveCertificates(establishmentId: string): Promise<CertificateRow[]> {
    const rows = await this.db.all<RawCertificateRow>(`SELECT ${CERTIFICATE_COLUMNS} ${CERTIFICATE_FROM} WHERE c.kind = 'collective' AND c.establishment_id = ? ORDER BY c.created_at DESC, c.serial DESC`, [
      establishmentId,
    ]);
    return rows.map(certificateRow);
  }

  // --- applications ---------------------------------------------------------------------

  async grantCounts(): Promise<Map<string, number>> {
    const rows = await this.db.all<{ id: string; k: number }>("SELECT application_id AS id, COUNT(*) AS k FROM grants WHERE status = 'granted' GROUP BY application_id");
    return new Map(rows.map((r) => [r.id, n(r.k)]));
  }

  async pendingAccessCounts(): Promise<Map<string, number>> {
    const rows = await this.db.all<{ id: string; k: number }>("SELECT application_id AS id, COUNT(*) AS k FROM access_requests WHERE status = 'pending' GROUP BY application_id");
    return new Map(rows.map((r) => [r.id, n(r.k)]));
  }

  /** Who may use an application, by identifier; `after` is the previous page's last identifier. */
  async grantsOf(applicationId: string, after: string | null, limit: number): Promise<GrantRow[]> {
    const rows = await this.db.all<RawPerson & { establishment_name: string | null; updated_at: number }>(
      `SELECT u.id, u.identifier, u.given_name, u.family_name, u.email, u.role, u.status, e.name AS establishment_name, g.updated_at
       FROM grants g JOIN users u ON u.id = g.user_id LEFT JOIN establishments e ON e.id = u.establishment_id
       WHERE g.application_id = ? AND g.status = 'granted' ${after !== null ? 'AND u.identifier > ?' : ''}
       ORDER BY u.identifier LIMIT ?`,
      after !== null ? [applicationId, after, limit] : [applicationId, limit],
    );
    return rows.map((r) => ({ ...person(r), establishmentName: r.establishment_name, grantedAt: n(r.updated_at) }));
  }

  async pendingAccessOf(applicationId: string, limit: number): Promise<PendingAccessRow[]> {
    const rows = await this.db.all<RawPerson & { request_id: string; created_at: number }>(
      `SELECT r.id AS request_id, r.created_at, u.id, u.identifier, u.given_name, u.family_name, u.email, u.role, u.status
       FROM access_requests r JOIN users u ON u.id = r.user_id
       WHERE r.application_id = ? AND r.status = 'pending' ORDER BY r.created_at, r.id LIMIT ?`,
      [applicationId, limit],
    );
    return rows.map((r) => ({ ...person(r), requestId: r.request_id, requestedAt: n(r.created_at) }));
  }

  // --- audit ----------------------------------------------------------------------------

  /** Newest first; `beforeId` is the id of the previous page's last (oldest) event. */
  async listAudit(query: AuditQuery, beforeId: number | null, limit: number): Promise<AuditEvent[]> {
    const action = query.action?.trim();
    const prefix = action?.endsWith('*') ? action.slice(0, -1) : null;
    const w = conditions([
      query.person ? ['subject = ? OR actor = ?', [query.person, query.person]] : null,
      action && prefix === null ? ['action = ?', [action]] : null,
      prefix ? ["action LIKE ? ESCAPE '\\'", [`${likeEscape(prefix)}%`]] : null,
      query.applicationId ? ['application_id = ?', [query.applicationId]] : null,
      query.ip ? ['ip = ?', [query.ip]] : null,
      query.outcome ? ['outcome = ?', [query.outcome]] : null,
      query.since !== undefined ? ['at >= ?', [query.since]] : null,
      query.until !== undefined ? ['at < ?', [query.until]] : null,
      beforeId !== null ? ['id < ?', [beforeId]] : null,
    ]);
    const rows = await this.db.all<AuditRow>(`SELECT * FROM audit_events ${w.sql} ORDER BY id DESC LIMIT ?`, [...w.params, limit]);
    return rows.map(auditEventFromRow);
  }

  // --- outbox ---------------------------------------------------------------------------

  /** Messages in these states, newest first — never their payload (it may hold a code or a password). */
  async listOutbox(statuses: OutboxMessage['status'][], limit: number): Promise<OutboxRow[]> {
    if (statuses.length === 0) return [];
    const rows = await this.db.all<{
      id: string;
      recipient: string;
      template: string;
      lang: 'fr' | 'en';
      status: OutboxMessage['status'];
      attempts: number;
      next_attempt_at: number;
      last_error: string | null;
      created_at: number;
      sent_at: number | null;
    }>(
      `SELECT id, recipient, template, lang, status, attempts, next_attempt_at, last_error, created_at, sent_at FROM outbox
       WHERE status IN (${statuses.map(() => '?').join(', ')}) ORDER BY created_at DESC, id DESC LIMIT ?`,
      [...statuses, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      recipient: r.recipient,
      template: r.template,
      lang: r.lang,
      status: r.status,
      attempts: n(r.attempts),
      nextAttemptAt: n(r.next_attempt_at),
      lastError: r.last_error,
      createdAt: n(r.created_at),
      sentAt: r.sent_at == null ? null : n(r.sent_at),
    }));
  }

  async outboxCounts(): Promise<Record<OutboxMessage['status'], number>> {
    const counts: Record<OutboxMessage['status'], number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
    for (const r of await this.db.all<{ status: OutboxMessage['status']; k: number }>('SELECT status, COUNT(*) AS k FROM outbox GROUP BY status')) counts[r.status] = n(r.k);
    return counts;
  }
}
