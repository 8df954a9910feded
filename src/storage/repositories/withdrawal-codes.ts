import type { Db } from '../db.ts';
import type { WithdrawalCode } from '../../model/index.ts';
import { camel, camelAll } from './rows.ts';

/** Owns (writes): withdrawal_codes. */
export class WithdrawalCodeRepository {
  constructor(private readonly db: Db) {}

  async insert(c: Pick<WithdrawalCode, 'id' | 'requestId' | 'codeHash' | 'expiresAt' | 'createdAt'>): Promise<void> {
    await this.db.run("INSERT INTO withdrawal_codes (id, request_id, code_hash, status, expires_at, created_at) VALUES (?, ?, ?, 'unused', ?, ?)", [
      c.id,
      c.requestId,
      c.codeHash,
      c.expiresAt,
      c.createdAt,
    ]);
  }

  async findById(id: string): Promise<WithdrawalCode | undefined> {
    return camel<WithdrawalCode>(await this.db.get('SELECT * FROM withdrawal_codes WHERE id = ?', [id]));
  }

  /** Codes of approved requests (personal ones of this user, or collective ones of this establishment), newest first. */
  async listForRequestIds(requestIds: string[]): Promise<WithdrawalCode[]> {
    if (requestIds.length === 0) return [];
    return camelAll(await this.db.all(`SELECT * FROM withdrawal_codes WHERE request_id IN (${requestIds.map(() => '?').join(', ')}) ORDER BY created_at DESC`, requestIds));
  }

  /** A new code replaces the previous ones of the same request. */
  async supersede(requestId: string): Promise<number> {
    return (await this.db.run("UPDATE withdrawal_codes SET status = 'superseded' WHERE request_id = ? AND status IN ('unused', 'locked')", [requestId])).changes;
  }

  /** One wrong try, counted atomically; locks at `maxAttempts`. */
  async recordFailure(id: string, maxAttempts: number): Promise<{ failedAttempts: number; status: WithdrawalCode['status'] } | undefined> {
    return camel(
      await this.db.get(
        `UPDATE withdrawal_codes SET failed_attempts = failed_attempts + 1,
           status = CASE WHEN status = 'unused' AND failed_attempts + 1 >= ? THEN 'locked' ELSE status END
         WHERE id = ? RETURNING failed_attempts, status`,
        [maxAttempts, id],
      ),
    );
  }

  /** Spends the code: true for exactly one caller (compare-and-swap on status). */
  async spend(id: string, csrSha256: string, serial: string, now: number): Promise<boolean> {
    const r = await this.db.run("UPDATE withdrawal_codes SET status = 'used', used_at = ?, csr_sha256 = ?, certificate_serial = ? WHERE id = ? AND status = 'unused' AND expires_at > ?", [
      now,
      csrSha256,
      serial,
      id,
      now,
    ]);
    return r.changes === 1;
  }
}
