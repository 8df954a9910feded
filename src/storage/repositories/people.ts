import type { Db, Param } from '../db.ts';
import type { AuditEvent } from '../../model/index.ts';
import type { ListFilter, PersonListRow, PersonRow, PersonStatus, SortKey } from '../../model/people.ts';
import { camel, camelAll } from './rows.ts';

/** people/status.ts's personStatus() as SQL over `users` (alias `u`), for the filters: keep the two in step. */
function statusCondition(status: PersonStatus, now: number): { sql: string; params: Param[] } {
  const pending = '(u.provisional_expires_at IS NULL OR u.provisional_expires_at > ?)';
  const invited = '(u.invited_at IS NOT NULL AND u.terms_accepted_at IS NULL)';
  switch (status) {
    case 'invitation_expired':
      return { sql: "u.status = 'provisional' AND u.provisional_expires_at <= ?", params: [now] };
    case 'invitation_sent':
      return { sql: `u.status = 'provisional' AND ${pending} AND ${invited}`, params: [now] };
    case 'provisional':
      return { sql: `u.status = 'provisional' AND ${pending} AND NOT ${invited}`, params: [now] };
    default:
      return { sql: 'u.status = ?', params: [status] };
  }
}

const LIST_COLUMNS = `u.id, u.identifier, u.given_name, u.family_name, u.email, u.rpps, u.profession, u.role, u.status, u.provisional_expires_at,
  u.invited_at, u.terms_accepted_at, u.last_login_at, u.establishment_id, e.name AS establishment_name, u.search_name`;

// Keys are compared byte-wise; U+10FFFF sorts after anything that can follow the prefix.
const END = '\u{10FFFF}';

function range(column: string, prefix: string): { sql: string; params: Param[] } {
  return { sql: `(${column} >= ? AND ${column} < ?)`, params: [prefix, prefix + END] };
}

/** WHERE clause (alias `u`) of a filter; `1 = 1` when there is none. */
function conditions(filter: ListFilter): { sql: string; params: Param[] } {
  const parts: string[] = [];
  const params: Param[] = [];
  if (filter.status) {
    const s = statusCondition(filter.status, filter.now);
    parts.push(s.sql);
    params.push(...s.params);
  }
  if (filter.text) {
    const { name, literal, digits, establishmentIds } = filter.text;
    const any = [range('u.search_name', name), range('u.search_given', name), range('u.search_identifier', literal), range('u.search_email', literal)];
    if (digits) any.push(range('u.search_rpps', digits));
    if (establishmentIds.length) any.push({ sql: `u.establishment_id IN (${establishmentIds.map(() => '?').join(', ')})`, params: establishmentIds });
    parts.push(`(${any.map((a) => a.sql).join(' OR ')})`);
    params.push(...any.flatMap((a) => a.params));
  }
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
}

/**
 * Owns (writes): nothing — account writes are UserRepository's. The console's queries on people
 * (users with their establishment, audit events, legacy identifiers); SQL shared by SQLite and
 * PostgreSQL, but for the catalogue lookup.
 */
export class PeopleRepository {
  constructor(private readonly db: Db) {}

  /**
   * One keyset page in (search_name, id) order: `after` → the rows following it, `before` →
   * the rows preceding it (returned in list order). Fetch `limit + 1` to know if more exist.
   */
  async list(filter: ListFilter, page: { after?: SortKey | null; before?: SortKey | null; limit: number }): Promise<PersonListRow[]> {
    const w = conditions(filter);
    const params = [...w.params];
    let seek = '';
    if (page.after) {
      seek = ' AND (u.search_name, u.id) > (?, ?)';
      params.push(page.after.name, page.after.id);
    } else if (page.before) {
      seek = ' AND (u.search_name, u.id) < (?, ?)';
      params.push(page.before.name, page.before.id);
    }
    const direction = page.before && !page.after ? 'DESC' : 'ASC';
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT ${LIST_COLUMNS} FROM users u LEFT JOIN establishments e ON e.id = u.establishment_id
       WHERE ${w.sql}${seek} ORDER BY u.search_name ${direction}, u.id ${direction} LIMIT ?`,
      [...params, page.limit],
    );
    const list = camelAll<PersonListRow>(rows);
    return direction === 'DESC' ? list.reverse() : list;
  }

  /** How many match, counting no further than `cap` (an exact count of 80,000 rows costs tens of ms). */
  async count(filter: ListFilter, cap: number): Promise<number> {
    const w = conditions(filter);
    const row = await this.db.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM users u WHERE ${w.sql} LIMIT ?) capped`, [...w.params, cap]);
    return Number(row?.n ?? 0);
  }

  async establishmentNames(): Promise<Array<{ id: string; name: string }>> {
    return this.db.all('SELECT id, name FROM establishments ORDER BY name, id');
  }

  async findById(id: string): Promise<PersonRow | undefined> {
    return camel<PersonRow>(await this.db.get('SELECT * FROM users WHERE id = ?', [id]));
  }

  /** An account using this address (case aside), if any. */
  async findByEmail(email: string): Promise<{ id: string; identifier: string } | undefined> {
    return this.db.get('SELECT id, identifier FROM users WHERE search_email = ? ORDER BY created_at LIMIT 1', [email.trim().toLowerCase()]);
  }

  /** Invitations still waiting (provisional, never activated, not yet expired) with fewer than `maxReminders` reminders sent. */
  async pendingInvitations(now: number, maxReminders: number): Promise<PersonRow[]> {
    return camelAll<PersonRow>(
      await this.db.all(
        `SELECT * FROM users WHERE invited_at IS NOT NULL AND status = 'provisional' AND terms_accepted_at IS NULL
           AND provisional_expires_at > ? AND invitation_reminders < ? ORDER BY invited_at LIMIT 1000`,
        [now, maxReminders],
      ),
    );
  }

  /** Audit events about `subject` among `actions` (all actions when null), newest first. */
  async events(subject: string, actions: readonly string[] | null, limit: number, outcomes?: ReadonlyArray<AuditEvent['outcome']>): Promise<AuditEvent[]> {
    const params: Param[] = [subject];
    let sql = 'SELECT * FROM audit_events WHERE subject = ?';
    if (actions) {
      sql += ` AND action IN (${actions.map(() => '?').join(', ')})`;
      params.push(...actions);
    }
    if (outcomes) {
      sql += ` AND outcome IN (${outcomes.map(() => '?').join(', ')})`;
      params.push(...outcomes);
    }
    const rows = await this.db.all<Record<string, unknown>>(`${sql} ORDER BY id DESC LIMIT ?`, [...params, limit]);
    return rows.map((r) => {
      const e = camel<AuditEvent & { details: string | null }>(r)!;
      return { ...e, id: Number(e.id), at: Number(e.at), details: e.details ? (JSON.parse(e.details) as Record<string, unknown>) : null };
    });
  }

  /** Legacy identifiers (migration 006, issue 5); none while that table does not exist. */
  async legacyMappings(userId: string): Promise<Array<{ applicationId: string; legacyUsername: string; status: string; createdAt: number; cutOverAt: number | null }>> {
    if (!(await this.#tableExists('legacy_mappings'))) return [];
    return camelAll(await this.db.all('SELECT application_id, legacy_username, status, created_at, cut_over_at FROM legacy_mappings WHERE user_id = ? ORDER BY application_id', [userId]));
  }

  async #tableExists(name: string): Promise<boolean> {
    // The catalogues differ: the one place this area asks which database it talks to.
    const row =
      this.db.dialect === 'sqlite'
        ? await this.db.get("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = ?", [name])
        : await this.db.get('SELECT 1 AS ok FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?', [name]);
    return row !== undefined;
  }
}
