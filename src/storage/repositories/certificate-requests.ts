import type { Db } from '../db.ts';
import { where } from './where.ts';
import type { CertificateRequest } from '../../model/index.ts';
import { camel, camelAll } from './rows.ts';
import { decide } from './decisions.ts';

export type NewCertificateRequest = Pick<CertificateRequest, 'id' | 'kind' | 'userId' | 'establishmentId' | 'label' | 'requestedBy' | 'createdAt'>;

/** Owns (writes): certificate_requests. */
export class CertificateRequestRepository {
  constructor(private readonly db: Db) {}

  async insert(r: NewCertificateRequest): Promise<void> {
    await this.db.run(
      `INSERT INTO certificate_requests (id, kind, user_id, establishment_id, label, status, requested_by, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
      [r.id, r.kind, r.userId, r.establishmentId, r.label, r.requestedBy, r.createdAt],
    );
  }

  async findById(id: string): Promise<CertificateRequest | undefined> {
    return camel<CertificateRequest>(await this.db.get('SELECT * FROM certificate_requests WHERE id = ?', [id]));
  }

  async list(filter: { status?: CertificateRequest['status']; userId?: string; establishmentId?: string } = {}, limit = 200): Promise<CertificateRequest[]> {
    const w = where([
      ['status = ?', filter.status],
      ['user_id = ?', filter.userId],
      ['establishment_id = ?', filter.establishmentId],
    ]);
    return camelAll(await this.db.all(`SELECT * FROM certificate_requests ${w.sql} ORDER BY created_at LIMIT ?`, [...w.params, limit]));
  }

  approve(id: string, by: string, at: number): Promise<boolean> {
    return decide(this.db, 'certificate_requests', id, 'approved', { by, at, reason: null });
  }

  reject(id: string, reason: string, by: string, at: number): Promise<boolean> {
    return decide(this.db, 'certificate_requests', id, 'rejected', { by, at, reason });
  }

  /** approved → withdrawn, with the certificate that was picked up. */
  async markWithdrawn(id: string, serial: string): Promise<boolean> {
    const r = await this.db.run("UPDATE certificate_requests SET status = 'withdrawn', certificate_serial = ? WHERE id = ? AND status = 'approved'", [serial, id]);
    return r.changes === 1;
  }

  /** Collective requests whose id starts with the 8 characters of `poste-xxxxxxxx`. */
  async collectiveByIdPrefix(prefix: string): Promise<CertificateRequest[]> {
    return camelAll(
      await this.db.all("SELECT * FROM certificate_requests WHERE kind = 'collective' AND LOWER(SUBSTR(id, 1, 8)) = ? ORDER BY created_at", [prefix.toLowerCase()]),
    );
  }
}
