import type { Db } from '../db.ts';
import type { DuplicateCandidate } from '../../model/index.ts';

/** snake_case columns of both tables, read by the duplicate check. */
interface Row {
  id: string;
  identifier?: string;
  given_name: string;
  family_name: string;
  email: string;
  rpps: string | null;
  status: string;
  user_id?: string | null;
}

function candidate(r: Row): DuplicateCandidate {
  return { id: r.id, identifier: r.identifier ?? null, givenName: r.given_name, familyName: r.family_name, email: r.email, rpps: r.rpps, status: r.status, userId: r.user_id ?? null };
}

/**
 * Owns (writes): nothing. What the cell compares a registration with (approval/duplicates.ts):
 * recent registrations, and the accounts that share its e-mail, RPPS/ADELI or name key.
 */
export class DuplicateCandidateRepository {
  constructor(private readonly db: Db) {}

  /** The `limit` most recent registrations, newest first. */
  async recentRegistrations(limit: number): Promise<DuplicateCandidate[]> {
    const rows = await this.db.all<Row>('SELECT id, given_name, family_name, email, rpps, status, user_id FROM registrations ORDER BY created_at DESC LIMIT ?', [limit]);
    return rows.map(candidate);
  }

  /**
   * Accounts with this e-mail (case aside), or this RPPS/ADELI number, or whose identifier is the
   * name key or the name key followed by `-…` (`helene.lefevre`, `helene.lefevre-2`).
   */
  async accountsMatching(match: { email: string; rpps: string | null; nameKey: string | null }): Promise<DuplicateCandidate[]> {
    const where = ['lower(email) = ?'];
    const params: string[] = [match.email.trim().toLowerCase()];
    if (match.rpps) {
      where.push('rpps = ?');
      params.push(match.rpps);
    }
    if (match.nameKey) {
      where.push("(identifier = ? OR identifier LIKE ? ESCAPE '\\')");
      params.push(match.nameKey, `${match.nameKey.replace(/[\\%_]/g, (c) => `\\${c}`)}-%`);
    }
    const rows = await this.db.all<Row>(`SELECT id, identifier, given_name, family_name, email, rpps, status FROM users WHERE ${where.join(' OR ')}`, params);
    return rows.map(candidate);
  }
}
