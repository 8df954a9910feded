import type { Storage } from '../storage/index.ts';
import type { User } from '../model/index.ts';
import type { NationalId } from './national-id.ts';

export type HolderLookup = { ok: true; user: User } | { ok: false; problem: 'unknown_holder' | 'ambiguous_holder' };

/**
 * The account a card belongs to: `users.rpps` equals the card's RPPS (or ADELI) number.
 * RPPS numbers are not unique in the table (the cell may approve a second registration of the
 * same person), so: one account → it; several → the one that is not deactivated, if only
 * one is left; otherwise nobody (the cell sorts it out) rather than a guess.
 */
export async function findCardHolder(storage: Pick<Storage, 'users'>, id: NationalId): Promise<HolderLookup> {
  const rows = await storage.users.statusesByRpps(id.number);
  const candidates = rows.length > 1 ? rows.filter((row) => row.status !== 'deactivated') : rows;
  if (rows.length === 0) return { ok: false, problem: 'unknown_holder' };
  if (candidates.length !== 1) return { ok: false, problem: 'ambiguous_holder' };
  const user = await storage.users.findById(candidates[0]!.id);
  return user ? { ok: true, user } : { ok: false, problem: 'unknown_holder' };
}
