import type { Db } from '../db.ts';
import type { CertificateRecord } from '../../model/index.ts';
import { camel, camelAll } from './rows.ts';

export class CertificateRepository {
  constructor(private readonly db: Db) {}

  async insert(c: Omit<CertificateRecord, 'status' | 'revokedAt' | 'revocationReason'>): Promise<void> {
    await this.db.run(
      `INSERT INTO certificates (serial, fingerprint_sha256, kind, user_id, establishment_id, label, subject, not_before, not_after, status, pem, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'valid', ?, ?)`,
      [c.serial.toLowerCase(), c.fingerprintSha256.toLowerCase(), c.kind, c.userId, c.establishmentId, c.label, c.subject, c.notBefore, c.notAfter, c.pem, c.createdAt],
    );
  }

  async findByFingerprint(fingerprint: string): Promise<CertificateRecord | undefined> {
    return camel<CertificateRecord>(await this.db.get('SELECT * FROM certificates WHERE fingerprint_sha256 = ?', [fingerprint.toLowerCase()]));
  }

  async findBySerial(serial: string): Promise<CertificateRecord | undefined> {
    return camel<CertificateRecord>(await this.db.get('SELECT * FROM certificates WHERE serial = ?', [serial.toLowerCase()]));
  }

  /** Revokes a valid certificate; false when unknown or already revoked (the first revocation stands). */
  async revoke(serial: string, reason: string, now: number): Promise<boolean> {
    const r = await this.db.run("UPDATE certificates SET status = 'revoked', revoked_at = ?, revocation_reason = ? WHERE serial = ? AND status = 'valid'", [
      now,
      reason,
      serial.toLowerCase(),
    ]);
    return r.changes === 1;
  }

  async listRevoked(): Promise<Array<Pick<CertificateRecord, 'serial' | 'revokedAt' | 'revocationReason'>>> {
    return camelAll(await this.db.all("SELECT serial, revoked_at, revocation_reason FROM certificates WHERE status = 'revoked' ORDER BY revoked_at"));
  }

  async listByUser(userId: string): Promise<CertificateRecord[]> {
    return camelAll(await this.db.all('SELECT * FROM certificates WHERE user_id = ? ORDER BY created_at', [userId]));
  }

  async listByEstablishment(establishmentId: string): Promise<CertificateRecord[]> {
    return camelAll(await this.db.all("SELECT * FROM certificates WHERE establishment_id = ? AND kind = 'collective' ORDER BY created_at", [establishmentId]));
  }
}
