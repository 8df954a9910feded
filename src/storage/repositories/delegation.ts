import type { Db } from '../db.ts';
import { camelAll } from './rows.ts';

export interface EstablishmentAdmin {
  userId: string;
  identifier: string;
  givenName: string;
  familyName: string;
  status: string;
  since: number;
  by: string;
}

/**
 * Owns (writes): establishment_admins, establishment_applications — what the cell delegates
 * to an establishment: who administers it, and which applications it may grant to its
 * services. Both decide access (src/storage/changes.ts tracks them).
 */
export class DelegationRepository {
  constructor(private readonly db: Db) {}

  async addAdmin(establishmentId: string, userId: string, by: string, now: number): Promise<boolean> {
    const r = await this.db.run(
      'INSERT INTO establishment_admins (establishment_id, user_id, created_at, created_by) VALUES (?, ?, ?, ?) ON CONFLICT (establishment_id, user_id) DO NOTHING',
      [establishmentId, userId, now, by],
    );
    return r.changes === 1;
  }

  async removeAdmin(establishmentId: string, userId: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM establishment_admins WHERE establishment_id = ? AND user_id = ?', [establishmentId, userId])).changes === 1;
  }

  /** The establishments this person administers. */
  async administered(userId: string): Promise<string[]> {
    const rows = await this.db.all<{ establishment_id: string }>('SELECT establishment_id FROM establishment_admins WHERE user_id = ? ORDER BY establishment_id', [userId]);
    return rows.map((r) => r.establishment_id);
  }

  async admins(establishmentId: string): Promise<EstablishmentAdmin[]> {
    return camelAll<EstablishmentAdmin>(
      await this.db.all(
        `SELECT a.user_id, u.identifier, u.given_name, u.family_name, u.status, a.created_at AS since, a.created_by AS by
           FROM establishment_admins a JOIN users u ON u.id = a.user_id WHERE a.establishment_id = ? ORDER BY u.family_name, u.given_name`,
        [establishmentId],
      ),
    ).map((a) => ({ ...a, since: Number(a.since) }));
  }

  async allowApplication(establishmentId: string, applicationId: string, by: string, now: number): Promise<boolean> {
    const r = await this.db.run(
      'INSERT INTO establishment_applications (establishment_id, application_id, created_at, created_by) VALUES (?, ?, ?, ?) ON CONFLICT (establishment_id, application_id) DO NOTHING',
      [establishmentId, applicationId, now, by],
    );
    return r.changes === 1;
  }

  async disallowApplication(establishmentId: string, applicationId: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM establishment_applications WHERE establishment_id = ? AND application_id = ?', [establishmentId, applicationId])).changes === 1;
  }

  async allowedApplications(establishmentId: string): Promise<string[]> {
    const rows = await this.db.all<{ application_id: string }>('SELECT application_id FROM establishment_applications WHERE establishment_id = ? ORDER BY application_id', [
      establishmentId,
    ]);
    return rows.map((r) => r.application_id);
  }
}
