import type { CertificateRecord, Db } from '../storage/index.ts';
import { camelAll } from '../storage/repositories/rows.ts';

/**
 * Valid certificates expiring in (now, before], not yet warned, and not already replaced by a valid
 * renewal: the ones whose holder should get the renewal notice.
 */
export async function listExpiringUnnotified(db: Db, now: number, before: number): Promise<CertificateRecord[]> {
  return camelAll(
    await db.all(
      `SELECT * FROM certificates c
        WHERE c.status = 'valid' AND c.renewal_notified_at IS NULL AND c.not_after > ? AND c.not_after <= ?
          AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.replaces_serial = c.serial AND n.status = 'valid')
        ORDER BY c.not_after`,
      [now, before],
    ),
  );
}

/** Claims the notice for one certificate: true for exactly one caller (replicas may run the job together). */
export async function markRenewalNotified(db: Db, serial: string, now: number): Promise<boolean> {
  const r = await db.run('UPDATE certificates SET renewal_notified_at = ? WHERE serial = ? AND renewal_notified_at IS NULL', [now, serial]);
  return r.changes === 1;
}

export async function setReplacesSerial(db: Db, serial: string, replaces: string): Promise<void> {
  await db.run('UPDATE certificates SET replaces_serial = ? WHERE serial = ?', [replaces, serial]);
}

/** Renewals of `serial` issued but never confirmed (the browser never called /terminer). */
export async function pendingReplacements(db: Db, serial: string): Promise<string[]> {
  const rows = await db.all<{ serial: string }>("SELECT serial FROM certificates WHERE replaces_serial = ? AND status = 'valid'", [serial]);
  return rows.map((r) => r.serial);
}
