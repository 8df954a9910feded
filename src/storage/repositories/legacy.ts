import type { Db } from '../db.ts';
import type { LegacyAccount, LegacyConflict, LegacyLock, LegacyMapping } from '../../model/legacy.ts';
import { camel, camelAll } from './rows.ts';

/**
 * Owns (writes): legacy_mappings, legacy_accounts, legacy_failures, legacy_declines,
 * legacy_applications, legacy_conflicts (migration 006). `repos.legacy` inside a transaction,
 * `storage.legacy` for single reads. Legacy identifiers are matched with `lower()` on both sides
 * so the unique indexes on `lower(...)` serve the lookups.
 */
export class LegacyRepository {
  constructor(private readonly db: Db) {}

  // Mappings

  async mappingForUser(userId: string, applicationId: string): Promise<LegacyMapping | undefined> {
    return camel<LegacyMapping>(await this.db.get('SELECT * FROM legacy_mappings WHERE user_id = ? AND application_id = ?', [userId, applicationId]));
  }

  async mappingByLegacy(applicationId: string, username: string): Promise<LegacyMapping | undefined> {
    return camel<LegacyMapping>(await this.db.get('SELECT * FROM legacy_mappings WHERE application_id = ? AND lower(legacy_username) = lower(?)', [applicationId, username]));
  }

  /** Every application's mapping of this legacy identifier (the portal does not know which application it comes from). */
  async mappingsByLegacyUsername(username: string): Promise<LegacyMapping[]> {
    return camelAll<LegacyMapping>(await this.db.all('SELECT * FROM legacy_mappings WHERE lower(legacy_username) = lower(?) ORDER BY created_at', [username]));
  }

  async mappingsForUser(userId: string): Promise<LegacyMapping[]> {
    return camelAll<LegacyMapping>(await this.db.all('SELECT * FROM legacy_mappings WHERE user_id = ? ORDER BY application_id', [userId]));
  }

  async findMapping(id: string): Promise<LegacyMapping | undefined> {
    return camel<LegacyMapping>(await this.db.get('SELECT * FROM legacy_mappings WHERE id = ?', [id]));
  }

  async listMappings(applicationId: string, filter: { status?: LegacyMapping['status']; limit?: number; offset?: number } = {}): Promise<LegacyMapping[]> {
    const where = ['application_id = ?'];
    const params: Array<string | number> = [applicationId];
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    params.push(filter.limit ?? 500, filter.offset ?? 0);
    return camelAll<LegacyMapping>(await this.db.all(`SELECT * FROM legacy_mappings WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`, params));
  }

  async insertMapping(mapping: LegacyMapping): Promise<void> {
    await this.db.run(
      'INSERT INTO legacy_mappings (id, user_id, application_id, legacy_username, status, created_at, cut_over_at, cut_over_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [mapping.id, mapping.userId, mapping.applicationId, mapping.legacyUsername, mapping.status, mapping.createdAt, mapping.cutOverAt, mapping.cutOverBy],
    );
  }

  async deleteMapping(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM legacy_mappings WHERE id = ?', [id])).changes === 1;
  }

  /** Mapped → cut over, for one person (all applications or one) or one whole application. Returns the rows changed. */
  async cutOver(scope: { userId?: string; applicationId?: string }, now: number, by: string): Promise<LegacyMapping[]> {
    const where = ["status = 'mapped'"];
    const params: Array<string | number> = [now, by];
    if (scope.userId) {
      where.push('user_id = ?');
      params.push(scope.userId);
    }
    if (scope.applicationId) {
      where.push('application_id = ?');
      params.push(scope.applicationId);
    }
    if (params.length === 2) throw new Error('cut-over needs a person or an application');
    return camelAll<LegacyMapping>(await this.db.all(`UPDATE legacy_mappings SET status = 'cut_over', cut_over_at = ?, cut_over_by = ? WHERE ${where.join(' AND ')} RETURNING *`, params));
  }

  async countMappings(applicationId: string): Promise<{ mapped: number; cutOver: number }> {
    const rows = await this.db.all<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM legacy_mappings WHERE application_id = ? GROUP BY status', [applicationId]);
    const of = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
    return { mapped: of('mapped'), cutOver: of('cut_over') };
  }

  // Imported accounts (directory mode)

  async account(applicationId: string, username: string): Promise<LegacyAccount | undefined> {
    return camel<LegacyAccount>(await this.db.get('SELECT * FROM legacy_accounts WHERE application_id = ? AND lower(username) = lower(?)', [applicationId, username]));
  }

  async insertAccount(account: LegacyAccount): Promise<void> {
    await this.db.run(
      'INSERT INTO legacy_accounts (id, application_id, username, display_name, email, password_hash, imported_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [account.id, account.applicationId, account.username, account.displayName, account.email, account.passwordHash, account.importedAt, account.updatedAt],
    );
  }

  async updateAccount(id: string, fields: Pick<LegacyAccount, 'username' | 'displayName' | 'email' | 'passwordHash'>, now: number): Promise<void> {
    await this.db.run('UPDATE legacy_accounts SET username = ?, display_name = ?, email = ?, password_hash = ?, updated_at = ? WHERE id = ?', [
      fields.username,
      fields.displayName,
      fields.email,
      fields.passwordHash,
      now,
      id,
    ]);
  }

  async countAccounts(applicationId: string): Promise<{ total: number; unmapped: number }> {
    const row = await this.db.get<{ total: number; unmapped: number }>(
      `SELECT COUNT(*) AS total,
              COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM legacy_mappings m WHERE m.application_id = a.application_id AND lower(m.legacy_username) = lower(a.username)) THEN 1 ELSE 0 END), 0) AS unmapped
         FROM legacy_accounts a WHERE a.application_id = ?`,
      [applicationId],
    );
    return { total: Number(row?.total ?? 0), unmapped: Number(row?.unmapped ?? 0) };
  }

  // Failure counters (key: lower-cased legacy identifier)

  async lock(applicationId: string, usernameKey: string): Promise<LegacyLock | undefined> {
    return camel<LegacyLock>(await this.db.get('SELECT * FROM legacy_failures WHERE application_id = ? AND username_key = ?', [applicationId, usernameKey]));
  }

  /**
   * Counts an attempt BEFORE its password is checked, in one statement (atomic across replicas):
   * its position, or undefined when the identifier is locked or every attempt is already taken by
   * concurrent ones — so a burst of guesses gets at most `maxFailures` checks.
   */
  async reserveAttempt(applicationId: string, usernameKey: string, maxFailures: number, now: number): Promise<number | undefined> {
    const row = await this.db.get<{ failures: number }>(
      `INSERT INTO legacy_failures (application_id, username_key, failures, locked_at, updated_at) VALUES (?, ?, 1, NULL, ?)
       ON CONFLICT (application_id, username_key) DO UPDATE SET failures = legacy_failures.failures + 1, updated_at = excluded.updated_at
         WHERE legacy_failures.locked_at IS NULL AND legacy_failures.failures < ?
       RETURNING failures`,
      [applicationId, usernameKey, now, maxFailures],
    );
    return row ? Number(row.failures) : undefined;
  }

  /** A reserved attempt that could not be checked (legacy store unreachable) is given back. */
  async releaseAttempt(applicationId: string, usernameKey: string, now: number): Promise<void> {
    await this.db.run('UPDATE legacy_failures SET failures = failures - 1, updated_at = ? WHERE application_id = ? AND username_key = ? AND locked_at IS NULL AND failures > 0', [now, applicationId, usernameKey]);
    // Back to nothing counted: no row, as if the attempt had not happened.
    await this.db.run('DELETE FROM legacy_failures WHERE application_id = ? AND username_key = ? AND locked_at IS NULL AND failures = 0', [applicationId, usernameKey]);
  }

  /** After a wrong password: locks once the count is spent. True when THIS call locked it. */
  async lockIfExhausted(applicationId: string, usernameKey: string, maxFailures: number, now: number): Promise<boolean> {
    const r = await this.db.run('UPDATE legacy_failures SET locked_at = ?, updated_at = ? WHERE application_id = ? AND username_key = ? AND locked_at IS NULL AND failures >= ?', [
      now,
      now,
      applicationId,
      usernameKey,
      maxFailures,
    ]);
    return r.changes === 1;
  }

  /** A right password clears the count — false (nothing cleared) when the identifier was locked meanwhile. */
  async clearFailures(applicationId: string, usernameKey: string): Promise<boolean> {
    await this.db.run('DELETE FROM legacy_failures WHERE application_id = ? AND username_key = ? AND locked_at IS NULL', [applicationId, usernameKey]);
    return (await this.lock(applicationId, usernameKey))?.lockedAt == null;
  }

  async unlock(applicationId: string, usernameKey: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM legacy_failures WHERE application_id = ? AND username_key = ? AND locked_at IS NOT NULL', [applicationId, usernameKey])).changes === 1;
  }

  async locks(applicationId?: string): Promise<LegacyLock[]> {
    const rows = applicationId
      ? await this.db.all('SELECT * FROM legacy_failures WHERE locked_at IS NOT NULL AND application_id = ? ORDER BY locked_at DESC', [applicationId])
      : await this.db.all('SELECT * FROM legacy_failures WHERE locked_at IS NOT NULL ORDER BY locked_at DESC');
    return camelAll<LegacyLock>(rows as Array<Record<string, unknown>>);
  }

  // "New to the application" answers

  async hasDeclined(userId: string, applicationId: string): Promise<boolean> {
    return (await this.db.get('SELECT 1 AS x FROM legacy_declines WHERE user_id = ? AND application_id = ?', [userId, applicationId])) !== undefined;
  }

  async decline(userId: string, applicationId: string, now: number): Promise<boolean> {
    return (await this.db.run('INSERT INTO legacy_declines (user_id, application_id, created_at) VALUES (?, ?, ?) ON CONFLICT (user_id, application_id) DO NOTHING', [userId, applicationId, now])).changes === 1;
  }

  async clearDecline(userId: string, applicationId: string): Promise<void> {
    await this.db.run('DELETE FROM legacy_declines WHERE user_id = ? AND application_id = ?', [userId, applicationId]);
  }

  async countDeclines(applicationId: string): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM legacy_declines WHERE application_id = ?', [applicationId]))?.n ?? 0);
  }

  // Whole-application cut-over

  async applicationCutOver(applicationId: string): Promise<{ cutOverAt: number; cutOverBy: string } | undefined> {
    return camel(await this.db.get('SELECT cut_over_at, cut_over_by FROM legacy_applications WHERE application_id = ?', [applicationId]));
  }

  async markApplicationCutOver(applicationId: string, now: number, by: string): Promise<boolean> {
    return (await this.db.run('INSERT INTO legacy_applications (application_id, cut_over_at, cut_over_by) VALUES (?, ?, ?) ON CONFLICT (application_id) DO NOTHING', [applicationId, now, by])).changes === 1;
  }

  // Conflicts

  async insertConflict(conflict: LegacyConflict): Promise<void> {
    await this.db.run(
      'INSERT INTO legacy_conflicts (id, application_id, legacy_username, claimant_user_id, holder_user_id, created_at, resolved_at, resolved_by, resolution) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL)',
      [conflict.id, conflict.applicationId, conflict.legacyUsername, conflict.claimantUserId, conflict.holderUserId, conflict.createdAt],
    );
  }

  async openConflict(applicationId: string, username: string, claimantUserId: string): Promise<LegacyConflict | undefined> {
    return camel<LegacyConflict>(
      await this.db.get('SELECT * FROM legacy_conflicts WHERE application_id = ? AND lower(legacy_username) = lower(?) AND claimant_user_id = ? AND resolved_at IS NULL', [applicationId, username, claimantUserId]),
    );
  }

  async findConflict(id: string): Promise<LegacyConflict | undefined> {
    return camel<LegacyConflict>(await this.db.get('SELECT * FROM legacy_conflicts WHERE id = ?', [id]));
  }

  async conflicts(filter: { open?: boolean; limit?: number } = {}): Promise<LegacyConflict[]> {
    const where = filter.open === undefined ? '' : filter.open ? 'WHERE resolved_at IS NULL' : 'WHERE resolved_at IS NOT NULL';
    return camelAll<LegacyConflict>(await this.db.all(`SELECT * FROM legacy_conflicts ${where} ORDER BY created_at DESC LIMIT ?`, [filter.limit ?? 200]));
  }

  /** Resolves an open conflict once (compare-and-swap on `resolved_at`). */
  async resolveConflict(id: string, resolution: 'dismissed' | 'reassigned', by: string, now: number): Promise<boolean> {
    return (await this.db.run('UPDATE legacy_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL', [now, by, resolution, id])).changes === 1;
  }
}
