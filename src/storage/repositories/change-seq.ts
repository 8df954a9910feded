import type { Db } from '../db.ts';

/** Owns (writes): change_seq — the counter other processes poll to learn that access rows changed. */
export class ChangeSeqRepository {
  constructor(private readonly db: Db) {}

  /** The counter's new value. */
  async bump(): Promise<number> {
    const row = await this.db.get<{ seq: number | string | bigint }>('UPDATE change_seq SET seq = seq + 1 WHERE id = 1 RETURNING seq');
    return Number(row?.seq ?? 0);
  }

  async current(): Promise<number> {
    const row = await this.db.get<{ seq: number | string | bigint }>('SELECT seq FROM change_seq WHERE id = 1');
    return Number(row?.seq ?? 0);
  }
}
