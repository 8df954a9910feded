import type { Db } from '../db.ts';
import { camel, camelAll } from './rows.ts';

/** A gateway session opened by Pro Santé Connect (migration 014). */
export interface PscSessionRecord {
  id: string;
  issuer: string;
  pscSid: string | null;
  pscSub: string;
  userId: string;
  applicationId: string;
  acr: string | null;
  createdAt: number;
  endedAt: number | null;
  endedReason: string | null;
}

export type PscSessionEndReason = 'logout' | 'back-channel' | 'front-channel';

/** Owns (writes): psc_sessions (migration 014). */
export class PscSessionRepository {
  constructor(private readonly db: Db) {}

  async open(s: Omit<PscSessionRecord, 'endedAt' | 'endedReason'>): Promise<void> {
    await this.db.run(
      'INSERT INTO psc_sessions (id, issuer, psc_sid, psc_sub, user_id, application_id, acr, created_at, ended_at, ended_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)',
      [s.id, s.issuer, s.pscSid, s.pscSub, s.userId, s.applicationId, s.acr, s.createdAt],
    );
  }

  async findById(id: string): Promise<PscSessionRecord | undefined> {
    return camel<PscSessionRecord>(await this.db.get('SELECT * FROM psc_sessions WHERE id = ?', [id]));
  }

  /** Ends one session (our own logout); false when it had already ended. */
  async end(id: string, reason: PscSessionEndReason, now: number): Promise<boolean> {
    return (await this.db.run('UPDATE psc_sessions SET ended_at = ?, ended_reason = ? WHERE id = ? AND ended_at IS NULL', [now, reason, id])).changes === 1;
  }

  /**
   * Ends every live session of the provider's session `sid` (or, with no sid in the logout
   * token, of its subject `sub`); returns those it ended, for the audit trail.
   */
  async endByProvider(issuer: string, match: { sid: string } | { sub: string }, reason: PscSessionEndReason, now: number): Promise<PscSessionRecord[]> {
    const [column, value] = 'sid' in match ? ['psc_sid', match.sid] : ['psc_sub', match.sub];
    return camelAll<PscSessionRecord>(
      await this.db.all(`UPDATE psc_sessions SET ended_at = ?, ended_reason = ? WHERE issuer = ? AND ${column} = ? AND ended_at IS NULL RETURNING *`, [now, reason, issuer, value]),
    );
  }

  /** Rows of sessions ended or opened before `before` are of no use any more (the audit trail keeps the story). */
  async purgeBefore(before: number): Promise<number> {
    return (await this.db.run('DELETE FROM psc_sessions WHERE created_at < ?', [before])).changes;
  }
}
