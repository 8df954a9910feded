import type { Db } from '../db.ts';
import type { RecoveryCodeRecord, TotpRecord } from '../../model/console.ts';
import { camel } from './rows.ts';

/** Owns (writes): console_totp, console_recovery_codes (migration 004): the console's second factor. */
export class TotpRepository {
  constructor(private readonly db: Db) {}

  async find(userId: string): Promise<TotpRecord | undefined> {
    return camel<TotpRecord>(await this.db.get('SELECT * FROM console_totp WHERE user_id = ?', [userId]));
  }

  /** A new pending enrolment replaces a pending one; an enabled one stays (the caller checks first). */
  async putPending(userId: string, secret: string, now: number): Promise<boolean> {
    await this.db.run("DELETE FROM console_totp WHERE user_id = ? AND status = 'pending'", [userId]);
    const r = await this.db.run("INSERT INTO console_totp (user_id, secret, status, created_at) VALUES (?, ?, 'pending', ?) ON CONFLICT (user_id) DO NOTHING", [userId, secret, now]);
    return r.changes === 1;
  }

  /** pending → enabled, the confirming code's step already spent. */
  async enable(userId: string, step: number, now: number): Promise<boolean> {
    const r = await this.db.run("UPDATE console_totp SET status = 'enabled', last_step = ?, enabled_at = ? WHERE user_id = ? AND status = 'pending'", [step, now, userId]);
    return r.changes === 1;
  }

  /** Spends a time step: true for exactly one caller, and never for a step at or before the last one. */
  async spendStep(userId: string, step: number): Promise<boolean> {
    const r = await this.db.run("UPDATE console_totp SET last_step = ? WHERE user_id = ? AND status = 'enabled' AND (last_step IS NULL OR last_step < ?)", [step, userId, step]);
    return r.changes === 1;
  }

  async remove(userId: string): Promise<boolean> {
    await this.db.run('DELETE FROM console_recovery_codes WHERE user_id = ?', [userId]);
    const r = await this.db.run('DELETE FROM console_totp WHERE user_id = ?', [userId]);
    return r.changes === 1;
  }

  async replaceRecoveryCodes(userId: string, codes: Array<{ id: string; lookup: string; codeHash: string }>, now: number): Promise<void> {
    await this.db.run('DELETE FROM console_recovery_codes WHERE user_id = ?', [userId]);
    for (const code of codes) {
      await this.db.run('INSERT INTO console_recovery_codes (id, user_id, lookup, code_hash, created_at) VALUES (?, ?, ?, ?, ?)', [code.id, userId, code.lookup, code.codeHash, now]);
    }
  }

  async findRecoveryCode(userId: string, lookup: string): Promise<RecoveryCodeRecord | undefined> {
    return camel<RecoveryCodeRecord>(await this.db.get('SELECT * FROM console_recovery_codes WHERE user_id = ? AND lookup = ?', [userId, lookup]));
  }

  /** Single use: true for exactly one caller. */
  async spendRecoveryCode(id: string, now: number): Promise<boolean> {
    const r = await this.db.run('UPDATE console_recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL', [now, id]);
    return r.changes === 1;
  }

  async unusedRecoveryCodes(userId: string): Promise<number> {
    const row = await this.db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM console_recovery_codes WHERE user_id = ? AND used_at IS NULL', [userId]);
    return Number(row?.n ?? 0);
  }
}
