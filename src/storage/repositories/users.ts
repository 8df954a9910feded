import type { Db } from '../db.ts';
import type { AccountStatus, User } from '../../model/index.ts';
import type { UpdatableIdentity } from '../../model/people.ts';
import { camel } from './rows.ts';

export type NewUser = Pick<User, 'id' | 'identifier' | 'givenName' | 'familyName' | 'email' | 'establishmentId' | 'role' | 'status' | 'passwordHash' | 'createdAt'> &
  Partial<Pick<User, 'profession' | 'rpps' | 'provisionalExpiresAt' | 'lang'>>;

/** Owns (writes): users, password_history. */
export class UserRepository {
  constructor(private readonly db: Db) {}

  async insert(user: NewUser): Promise<void> {
    await this.#insertRow(user);
    await this.db.run('INSERT INTO password_history (user_id, password_hash, created_at) VALUES (?, ?, ?)', [user.id, user.passwordHash, user.createdAt]);
  }

  async #insertRow(user: NewUser): Promise<void> {
    await this.db.run(
      `INSERT INTO users (id, identifier, given_name, family_name, email, establishment_id, role, status, password_hash, profession, rpps, provisional_expires_at, lang, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        user.id,
        user.identifier.trim().toLowerCase(),
        user.givenName,
        user.familyName,
        user.email,
        user.establishmentId,
        user.role,
        user.status,
        user.passwordHash,
        user.profession ?? null,
        user.rpps ?? null,
        user.provisionalExpiresAt ?? null,
        user.lang ?? 'fr',
        user.createdAt,
        user.createdAt,
      ],
    );
  }

  async findById(id: string): Promise<User | undefined> {
    return camel<User>(await this.db.get('SELECT * FROM users WHERE id = ?', [id]));
  }

  /** Identifiers are stored lower case; lookups are case-insensitive. */
  async findByIdentifier(identifier: string): Promise<User | undefined> {
    return camel<User>(await this.db.get('SELECT * FROM users WHERE identifier = ?', [identifier.trim().toLowerCase()]));
  }

  /** Identifiers already taken among `base`, `base-2`, `base-3`… */
  async identifiersLike(base: string): Promise<string[]> {
    const rows = await this.db.all<{ identifier: string }>(
      "SELECT identifier FROM users WHERE identifier = ? OR identifier LIKE ? ESCAPE '\\'",
      [base, `${base.replace(/[\\%_]/g, (c) => `\\${c}`)}-%`],
    );
    return rows.map((r) => r.identifier);
  }

  /**
   * Counts one failed password in a single statement (atomic across replicas) and locks the
   * account when the count reaches `maxFailures`. Returns the new count and status.
   */
  async recordFailure(id: string, maxFailures: number, now: number): Promise<{ failedLogins: number; status: AccountStatus } | undefined> {
    return camel(
      await this.db.get(
        `UPDATE users SET failed_logins = failed_logins + 1,
           status = CASE WHEN status IN ('active', 'provisional') AND failed_logins + 1 >= ? THEN 'locked' ELSE status END,
           locked_at = CASE WHEN status IN ('active', 'provisional') AND failed_logins + 1 >= ? THEN ? ELSE locked_at END,
           updated_at = ?
         WHERE id = ? RETURNING failed_logins, status`,
        [maxFailures, maxFailures, now, now, id],
      ),
    );
  }

  /**
   * Reserves one password check BEFORE it runs, in one statement (atomic across requests and
   * replicas): the reservation counts as a failure until a right password resets the count, so
   * however many attempts race, at most `maxFailures` are ever checked. Undefined when refused
   * (locked, deactivated, or every attempt already taken); otherwise the attempt's number.
   */
  async reserveAttempt(id: string, maxFailures: number, now: number): Promise<number | undefined> {
    const row = await this.db.get<{ failed_logins: number }>(
      "UPDATE users SET failed_logins = failed_logins + 1, updated_at = ? WHERE id = ? AND status IN ('active', 'provisional') AND failed_logins < ? RETURNING failed_logins",
      [now, id, maxFailures],
    );
    return row ? Number(row.failed_logins) : undefined;
  }

  /** After a reserved attempt failed: locks the account once the count is spent. True when THIS call locked it. */
  async lockIfExhausted(id: string, maxFailures: number, now: number): Promise<boolean> {
    const r = await this.db.run(
      "UPDATE users SET status = 'locked', locked_at = ?, updated_at = ? WHERE id = ? AND status IN ('active', 'provisional') AND failed_logins >= ?",
      [now, now, id, maxFailures],
    );
    return r.changes === 1;
  }

  /** A right password ends the streak — unless the account was locked meanwhile (false then: refuse). */
  async resetFailures(id: string, now: number): Promise<boolean> {
    const r = await this.db.run("UPDATE users SET failed_logins = 0, updated_at = ? WHERE id = ? AND status IN ('active', 'provisional')", [now, id]);
    return r.changes === 1;
  }

  /** A second factor passed: the failures counted against the password lockout start again. */
  async clearFailuresAfterSecondFactor(id: string, now: number): Promise<void> {
    await this.db.run('UPDATE users SET failed_logins = 0, updated_at = ? WHERE id = ? AND failed_logins > 0', [now, id]);
  }

  /** Records a login and resets the count; false (nothing written) when the account is locked or deactivated. */
  async recordSuccess(id: string, ip: string | null, now: number): Promise<boolean> {
    const r = await this.db.run(
      "UPDATE users SET failed_logins = 0, previous_login_at = last_login_at, previous_login_ip = last_login_ip, last_login_at = ?, last_login_ip = ?, updated_at = ? WHERE id = ? AND status IN ('active', 'provisional')",
      [now, ip, now, id],
    );
    return r.changes === 1;
  }

  /** Unlocking restores the state the account had before: provisional stays provisional. */
  async unlock(id: string, now: number, status: 'active' | 'provisional'): Promise<boolean> {
    const r = await this.db.run("UPDATE users SET status = ?, failed_logins = 0, locked_at = NULL, updated_at = ? WHERE id = ? AND status = 'locked'", [status, now, id]);
    return r.changes === 1;
  }

  async setStatus(id: string, status: AccountStatus, now: number): Promise<boolean> {
    const r = await this.db.run('UPDATE users SET status = ?, updated_at = ? WHERE id = ?', [status, now, id]);
    return r.changes === 1;
  }

  /** A provisional password carries its expiry; a chosen one clears it. */
  async setPassword(id: string, passwordHash: string, now: number, provisionalExpiresAt: number | null = null): Promise<void> {
    await this.db.run('UPDATE users SET password_hash = ?, provisional_expires_at = ?, updated_at = ? WHERE id = ?', [passwordHash, provisionalExpiresAt, now, id]);
    await this.db.run('INSERT INTO password_history (user_id, password_hash, created_at) VALUES (?, ?, ?)', [id, passwordHash, now]);
  }

  /** The most recent password hashes, newest first (the current one included). */
  async passwordHistory(id: string, limit: number): Promise<string[]> {
    const rows = await this.db.all<{ password_hash: string }>('SELECT password_hash FROM password_history WHERE user_id = ? ORDER BY created_at DESC LIMIT ?', [id, limit]);
    return rows.map((r) => r.password_hash);
  }

  /** First login done: chosen password set elsewhere, details confirmed, terms accepted. */
  async activate(id: string, details: { givenName: string; familyName: string; profession: string | null; rpps: string | null }, now: number): Promise<boolean> {
    const r = await this.db.run(
      "UPDATE users SET status = 'active', given_name = ?, family_name = ?, profession = ?, rpps = ?, terms_accepted_at = COALESCE(terms_accepted_at, ?), provisional_expires_at = NULL, updated_at = ? WHERE id = ? AND status = 'provisional'",
      [details.givenName, details.familyName, details.profession, details.rpps, now, now, id],
    );
    return r.changes === 1;
  }

  async updateProfile(id: string, fields: { profession?: string | null; rpps?: string | null; notificationsOptIn?: boolean; lang?: 'fr' | 'en'; email?: string }, now: number): Promise<void> {
    const sets: string[] = [];
    const params: Array<string | number | null> = [];
    const put = (column: string, value: string | number | null | undefined) => {
      if (value === undefined) return;
      sets.push(`${column} = ?`);
      params.push(value);
    };
    put('profession', fields.profession);
    put('rpps', fields.rpps);
    put('notifications_opt_in', fields.notificationsOptIn === undefined ? undefined : fields.notificationsOptIn ? 1 : 0);
    put('lang', fields.lang);
    put('email', fields.email);
    if (sets.length === 0) return;
    await this.db.run(`UPDATE users SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`, [...params, now, id]);
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

  /**
   * Moves the reminder count of the invitation sent at `invitedAt` from `sent` to `due`: one
   * UPDATE that only one replica (or run) wins; a resent invitation (new invited_at) or an
   * activation in the meantime makes the claim fail.
   */
  async claimInvitationReminder(id: string, invitedAt: number, sent: number, due: number, now: number): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE users SET invitation_reminders = ?, updated_at = ?
       WHERE id = ? AND invited_at = ? AND invitation_reminders = ? AND status = 'provisional' AND terms_accepted_at IS NULL`,
      [due, now, id, invitedAt, sent],
    );
    return r.changes === 1;
  }

  /** Accounts whose RPPS/ADELI number is this one, oldest first (the number is not unique in the table). */
  async statusesByRpps(rpps: string): Promise<Array<{ id: string; status: AccountStatus }>> {
    return this.db.all<{ id: string; status: AccountStatus }>('SELECT id, status FROM users WHERE rpps = ? ORDER BY created_at', [rpps]);
  }
}
