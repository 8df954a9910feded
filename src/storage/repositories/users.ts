import type { Db } from '../db.ts';
import type { AccountStatus, User } from '../types.ts';
import { camel } from './rows.ts';

export type NewUser = Omit<User, 'failedLogins' | 'lockedAt' | 'lastLoginAt' | 'lastLoginIp' | 'updatedAt'>;

export class UserRepository {
  constructor(private readonly db: Db) {}

  async insert(user: NewUser): Promise<void> {
    await this.db.run(
      `INSERT INTO users (id, identifier, given_name, family_name, email, establishment_id, role, status, password_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [user.id, user.identifier, user.givenName, user.familyName, user.email, user.establishmentId, user.role, user.status, user.passwordHash, user.createdAt, user.createdAt],
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

  async recordSuccess(id: string, ip: string | null, now: number): Promise<void> {
    await this.db.run('UPDATE users SET failed_logins = 0, last_login_at = ?, last_login_ip = ?, updated_at = ? WHERE id = ?', [now, ip, now, id]);
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

  async setPassword(id: string, passwordHash: string, now: number): Promise<void> {
    await this.db.run('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?', [passwordHash, now, id]);
  }
}
