import type { Db } from '../db.ts';
import type { DecisionStatus, Registration } from '../../model/index.ts';
import { camel, camelAll } from './rows.ts';
import { decide } from './decisions.ts';

export type NewRegistration = Omit<Registration, 'status' | 'decidedBy' | 'decidedAt' | 'decisionReason' | 'userId'>;

/** Owns (writes): registrations. */
export class RegistrationRepository {
  constructor(private readonly db: Db) {}

  async insert(r: NewRegistration): Promise<void> {
    await this.db.run(
      `INSERT INTO registrations (id, given_name, family_name, email, profession, rpps, establishment_id, establishment_name, reason, requested_application, lang, status, ip, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      [r.id, r.givenName, r.familyName, r.email, r.profession, r.rpps, r.establishmentId, r.establishmentName, r.reason, r.requestedApplication, r.lang, r.ip, r.createdAt],
    );
  }

  async findById(id: string): Promise<Registration | undefined> {
    return camel<Registration>(await this.db.get('SELECT * FROM registrations WHERE id = ?', [id]));
  }

  async list(status?: DecisionStatus, limit = 200): Promise<Registration[]> {
    return status
      ? camelAll(await this.db.all('SELECT * FROM registrations WHERE status = ? ORDER BY created_at LIMIT ?', [status, limit]))
      : camelAll(await this.db.all('SELECT * FROM registrations ORDER BY created_at DESC LIMIT ?', [limit]));
  }

  approve(id: string, userId: string, by: string, at: number): Promise<boolean> {
    return decide(this.db, 'registrations', id, 'approved', { by, at, reason: null }, { user_id: userId });
  }

  reject(id: string, reason: string, by: string, at: number): Promise<boolean> {
    return decide(this.db, 'registrations', id, 'rejected', { by, at, reason });
  }
}
