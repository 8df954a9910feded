import type { AuditEvent, Db, Param, User } from '../storage/index.ts';
import { camel, camelAll } from '../storage/repositories/rows.ts';
import { statusCondition, type PersonStatus } from './status.ts';

/** An account with the columns migration 005 added. */
export type PersonRow = User & { invitedAt: number | null; invitationReminders: number };

/** One line of the list: what the table shows, plus the sort key for the cursor. */
export interface PersonListRow {
  id: string;
  identifier: string;
  givenName: string;
  familyName: string;
  email: string;
  rpps: string | null;
  profession: string | null;
  role: User['role'];
  status: User['status'];
  provisionalExpiresAt: number | null;
  invitedAt: number | null;
  termsAcceptedAt: number | null;
  lastLoginAt: number | null;
  establishmentId: string | null;
  establishmentName: string | null;
  searchName: string;
}

/** Position in the (search_name, id) order. */
export interface SortKey {
  name: string;
  id: string;
}

/** Prefix ranges on the search keys (already folded / lower-cased by the caller). */
export interface TextMatch {
  /** Folded query: prefix of "family given" or "given family". */
  name: string;
  /** Lower-cased query: prefix of the identifier or the e-mail address. */
  literal: string;
  /** Digits: prefix of the RPPS/ADELI number; null when the query is not a number. */
  digits: string | null;
  /** Establishments whose name matched (decided by the caller). */
  establishmentIds: string[];
}

export interface ListFilter {
  text: TextMatch | null;
  status: PersonStatus | null;
  now: number;
}

export interface UpdatableIdentity {
  givenName: string;
  familyName: string;
  profession: string | null;
  rpps: string | null;
  establishmentId: string | null;
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
 * The console's queries on people. Built on the connection (or transaction) it is given;
 * SQL shared by SQLite and PostgreSQL.
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

  /** Identity and function; the identifier never changes (it is the person's login). */
  async updateIdentity(id: string, identity: UpdatableIdentity, now: number): Promise<boolean> {
    const r = await this.db.run('UPDATE users SET given_name = ?, family_name = ?, profession = ?, rpps = ?, establishment_id = ?, updated_at = ? WHERE id = ?', [
      identity.givenName,
      identity.familyName,
      identity.profession,
      identity.rpps,
      identity.establishmentId,
      now,
      id,
    ]);
    return r.changes === 1;
  }

  /** A new invitation (or a resent one): the clock of reminders starts again; `expiresAt` sets the provisional password's end too. */
  async markInvited(id: string, invitedAt: number, expiresAt?: number): Promise<void> {
    if (expiresAt === undefined) {
      await this.db.run('UPDATE users SET invited_at = ?, invitation_reminders = 0, updated_at = ? WHERE id = ?', [invitedAt, invitedAt, id]);
      return;
    }
    await this.db.run('UPDATE users SET invited_at = ?, invitation_reminders = 0, provisional_expires_at = ?, updated_at = ? WHERE id = ?', [invitedAt, expiresAt, invitedAt, id]);
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

  /**
   * Moves the reminder count of the invitation sent at `invitedAt` from `sent` to `due`: one
   * UPDATE that only one replica (or run) wins; a resent invitation (new invited_at) or an
   * activation in the meantime makes the claim fail.
   */
  async claimReminder(id: string, invitedAt: number, sent: number, due: number, now: number): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE users SET invitation_reminders = ?, updated_at = ?
       WHERE id = ? AND invited_at = ? AND invitation_reminders = ? AND status = 'provisional' AND terms_accepted_at IS NULL`,
      [due, now, id, invitedAt, sent],
    );
    return r.changes === 1;
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
