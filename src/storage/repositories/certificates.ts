import type { Db } from '../db.ts';
import type { CertificateRecord } from '../../model/index.ts';
import { camel, camelAll } from './rows.ts';

/** Owns (writes): certificates. */
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

  /**
   * Valid certificates expiring in (now, before], not yet warned, and not already replaced by a valid
   * renewal: the ones whose holder should get the renewal notice.
   */
  async listExpiringUnnotified(now: number, before: number): Promise<CertificateRecord[]> {
    return camelAll(
      await this.db.all(
        `SELECT * FROM certificates c
          WHERE c.status = 'valid' AND c.renewal_notified_at IS NULL AND c.not_after > ? AND c.not_after <= ?
            AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.replaces_serial = c.serial AND n.status = 'valid')
          ORDER BY c.not_after`,
        [now, before],
      ),
    );
  }

  /** Claims the notice for one certificate: true for exactly one caller (replicas may run the job together). */
  async markRenewalNotified(serial: string, now: number): Promise<boolean> {
    const r = await this.db.run('UPDATE certificates SET renewal_notified_at = ? WHERE serial = ? AND renewal_notified_at IS NULL', [now, serial]);
    return r.changes === 1;
  }

  async setReplacesSerial(serial: string, replaces: string): Promise<void> {
    await this.db.run('UPDATE certificates SET replaces_serial = ? WHERE serial = ?', [replaces, serial]);
  }

  /** Renewals of `serial` issued but never confirmed (the browser never called /terminer). */
  async pendingReplacements(serial: string): Promise<string[]> {
    const rows = await this.db.all<{ serial: string }>("SELECT serial FROM certificates WHERE replaces_serial = ? AND status = 'valid'", [serial]);
    return rows.map((r) => r.serial);
  }
}
